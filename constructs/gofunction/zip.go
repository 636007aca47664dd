package gofunction

import (
	"archive/zip"
	"io"
	"os"
	"time"
)

// zipTime is every entry's modification time (the zip format's epoch), so
// the same binary always zips to the same bytes and the same asset hash.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// writeZip writes a Lambda deployment package to name holding bin as
// "bootstrap", mode 0755. The CDK CLI zips an asset directory with the
// files' modes on the host, which on Windows lose the executable bit (and
// Lambda then fails every invoke with Runtime.InvalidEntrypoint); a zip
// asset is uploaded as it is, so the mode is the one written here.
func writeZip(name, bin string) (err error) {
	in, err := os.Open(bin)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(out)
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate, Modified: zipTime}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, in); err != nil {
		return err
	}
	return zw.Close()
}
