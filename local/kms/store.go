package kms

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Key material lives in one PKCS#8 PEM file per key, named after the key's
// ARN, under a directory only the owner may enter. A file is written once,
// complete, under its final name (link of a synced temporary file), so a
// crash or a concurrent start never leaves a half-written key, and a key
// already there is never replaced: signatures made with it stay verifiable.

const (
	dirMode  fs.FileMode = 0o700
	fileMode fs.FileMode = 0o600
	pemType              = "PRIVATE KEY"
)

// keyFileName names the file of a key; every part is safe in a file name.
func keyFileName(region, account, id string) string {
	return region + "_" + account + "_" + id + ".pem"
}

// prepareDir creates dir (0700) or narrows an existing one to 0700.
func prepareDir(dir string) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("create kms key directory: %w", err)
	}
	if err := os.Chmod(dir, dirMode); err != nil {
		return fmt.Errorf("restrict kms key directory: %w", err)
	}
	return nil
}

// loadOrCreate returns the private key kept at path, creating it first if
// there is none, and when it was created.
func loadOrCreate(path string) (*ecdsa.PrivateKey, time.Time, error) {
	priv, created, err := loadKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return priv, created, err
	}
	if err := createKeyFile(path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, time.Time{}, err
	}
	// Read back what is on disk: another process may have won the race.
	return loadKeyFile(path)
}

// loadKeyFile reads and checks one key file.
func loadKeyFile(path string) (*ecdsa.PrivateKey, time.Time, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, time.Time{}, fmt.Errorf("kms key file %s is open to others (mode %04o): chmod 600 it", path, perm)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("read kms key file: %w", err)
	}
	priv, err := parseKeyPEM(data)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("kms key file %s: %w", path, err)
	}
	return priv, info.ModTime().UTC(), nil
}

// parseKeyPEM decodes exactly one PKCS#8 P-256 private key.
func parseKeyPEM(data []byte) (*ecdsa.PrivateKey, error) {
	block, rest := pem.Decode(data)
	if block == nil || block.Type != pemType || len(bytes.TrimSpace(rest)) != 0 {
		return nil, errors.New("not a single PEM " + pemType + " block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse PKCS#8: %w", err)
	}
	priv, ok := k.(*ecdsa.PrivateKey)
	if !ok || priv.Curve != elliptic.P256() {
		return nil, fmt.Errorf("key is %T, not an ECDSA P-256 key", k)
	}
	return priv, nil
}

// newPrivateKey makes a fresh P-256 key.
func newPrivateKey() (*ecdsa.PrivateKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate P-256 key: %w", err)
	}
	return k, nil
}

// createKeyFile writes a new key to path, failing with fs.ErrExist when
// path already exists.
func createKeyFile(path string) (err error) {
	priv, err := newPrivateKey()
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return fmt.Errorf("encode PKCS#8: %w", err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".key-*.tmp") // CreateTemp makes it 0600
	if err != nil {
		return fmt.Errorf("create kms key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeSynced(tmp, pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der})); err != nil {
		return fmt.Errorf("write kms key file: %w", err)
	}
	// Link, unlike rename, never replaces a key another process wrote.
	if err := os.Link(tmp.Name(), path); err != nil {
		return fmt.Errorf("publish kms key file: %w", err)
	}
	return syncDir(dir)
}

func writeSynced(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(fileMode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync kms key directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync kms key directory: %w", err)
	}
	return nil
}
