package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// OpenFile opens the regular file a flag names (e.g. --file) for reading.
// A missing or unreadable file, a directory or anything but a regular file
// is a usage error naming the flag: refused before anything changes.
func OpenFile(flag, path string) (*os.File, int64, error) {
	refuse := func(format string, args ...any) (*os.File, int64, error) {
		return nil, 0, UsageError(fmt.Sprintf("%s %s: ", flag, path) + fmt.Sprintf(format, args...))
	}
	if path == "" {
		return refuse("the path is empty")
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return refuse("no such file")
	case err != nil:
		return refuse("%v", err)
	case info.IsDir():
		return refuse("is a directory, not a document")
	case !info.Mode().IsRegular():
		return refuse("is not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return refuse("cannot be read: %v", errors.Unwrap(err))
	}
	return f, info.Size(), nil
}
