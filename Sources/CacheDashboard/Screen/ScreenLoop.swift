import Synchronization

/// The interactive loop: draw a frame, wait at most 250 ms for a key (the refresh tick), apply
/// it to the state, carry out its effects; until `q` or a termination signal. It owns no
/// terminal and no clock (``DashboardBackend`` and `now` are passed in), so it is tested with a
/// scripted backend. Runs on the caller's thread, blocking it: the runner gives it one of its
/// own, never a thread of the cooperative pool.
public struct ScreenLoop {
    /// Where themes chosen with `t` are loaded from.
    public var catalog: ThemeCatalog
    /// The time frames are drawn at and keys are handled at (wall clock, or a replay's time).
    public var now: (DashboardState) -> Double
    /// Commands for the source, carried out elsewhere (their outcomes come back as events).
    public var send: (SourceCommand) -> Void
    /// A replay step asked for while paused.
    public var step: () -> Void

    public init(catalog: ThemeCatalog, now: @escaping (DashboardState) -> Double,
                send: @escaping (SourceCommand) -> Void, step: @escaping () -> Void) {
        self.catalog = catalog
        self.now = now
        self.send = send
        self.step = step
    }

    /// Runs until the user quits or `backend` reports a termination signal.
    public func run(_ backend: some DashboardBackend, state: borrowing Mutex<DashboardState>) {
        while backend.terminationRequested == nil {
            let (width, height) = backend.size
            let frame = state.withLock { state in
                state.screenRows = height
                return DashboardView.render(state, width: width, height: height, now: now(state))
            }
            backend.draw(frame)
            guard let key = backend.nextKey(timeoutMilliseconds: 250) else { continue }
            let effects = state.withLock { $0.handle(key, now: now($0)) }
            for effect in effects {
                switch effect {
                case .quit:
                    return
                case .command(let command):
                    send(command)
                case .themeChanged(let name):
                    do {
                        backend.setTheme(try catalog.load(name))
                    } catch {
                        state.withLock { $0.record(outcome: error.description, isError: true, at: now($0)) }
                    }
                case .timingChanged:
                    break
                case .step:
                    step()
                case .suspend:
                    backend.suspend()
                }
            }
        }
    }
}
