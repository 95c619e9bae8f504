// The vocabulary types (snapshots, the load-injection request, metric names) are part of the
// engine's public face: a host that imports CacheEngine names them without a second import.
@_exported import CacheVocabulary
