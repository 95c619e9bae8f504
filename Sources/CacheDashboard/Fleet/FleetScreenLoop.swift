import CacheVocabulary
import Synchronization

/// The fleet screen's interactive loop: draw, wait at most 250 ms for a key, apply it to the
/// board; fleet actions go to `send`, carried out elsewhere. It returns when the operator quits
/// or opens an instance (the runner shows that instance, then starts the loop again). Owns no
/// terminal and no clock, as ``ScreenLoop``; runs on, and blocks, the caller's thread.
public struct FleetScreenLoop {
    public var now: () -> Double
    public var send: (FleetEffect) -> Void

    public init(now: @escaping () -> Double, send: @escaping (FleetEffect) -> Void) {
        self.now = now
        self.send = send
    }

    /// Runs until quit (nil) or a drill-down (the member to open).
    public func run(_ backend: some DashboardBackend, board: borrowing Mutex<FleetBoard>) -> FleetMember? {
        while backend.terminationRequested == nil {
            let (width, height) = backend.size
            let time = now()
            backend.draw(board.withLock { FleetView.render($0, width: width, height: height, now: time) })
            guard let key = backend.nextKey(timeoutMilliseconds: 250) else { continue }
            let effects = board.withLock { $0.handle(key, now: now()) }
            for effect in effects {
                switch effect {
                case .quit: return nil
                case .drill(let member): return member
                case .sweep, .flush: send(effect)
                }
            }
        }
        return nil
    }
}
