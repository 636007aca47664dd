//go:build !unix

package dynamodb

// clearStaleLock does nothing where fcntl locks do not exist: LevelDB's own
// open fails clearly if the directory is in use.
func clearStaleLock(dir string) (bool, error) { return false, nil }

func lockHolder(dir string) (int, error) { return 0, nil }
