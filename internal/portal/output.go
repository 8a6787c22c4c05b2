package portal

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// Output is where a site is written. Create makes the file at name, a
// slash-separated path relative to the site's root (such as
// "en/incidents/IQ-2019-0042.html"), with any directories it needs; the
// portal writes each file once, start to end, then closes it. Dir writes
// to disk; another Output can write to an archive or an object store.
type Output interface {
	Create(name string) (io.WriteCloser, error)
}

// Dir is an Output writing into a directory on disk.
type Dir struct {
	root string
	made map[string]bool
}

// NewDir returns an Output writing under root, which should exist.
func NewDir(root string) *Dir { return &Dir{root: root, made: map[string]bool{}} }

// Create creates (or truncates) the file name under the root.
func (d *Dir) Create(name string) (io.WriteCloser, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, fmt.Errorf("invalid file name %q", name)
	}
	if dir := path.Dir(name); !d.made[dir] {
		if err := os.MkdirAll(filepath.Join(d.root, filepath.FromSlash(dir)), 0o755); err != nil {
			return nil, err
		}
		d.made[dir] = true
	}
	return os.OpenFile(filepath.Join(d.root, filepath.FromSlash(name)), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
}

// counter wraps an Output, buffering each file and counting files and
// bytes for the report.
type counter struct {
	out   Output
	files int
	bytes int64
	free  []*bufio.Writer // buffers of closed files, for the next ones
}

// file is one file being written.
type file struct {
	*bufio.Writer
	c     *counter
	dst   io.WriteCloser
	name  string
	bytes int64
}

func (f *file) Write(b []byte) (int, error) {
	n, err := f.Writer.Write(b)
	f.bytes += int64(n)
	return n, err
}

func (f *file) WriteString(s string) (int, error) {
	n, err := f.Writer.WriteString(s)
	f.bytes += int64(n)
	return n, err
}

// Close flushes and closes the file; it reports the first error.
func (f *file) Close() error {
	err := f.Flush()
	if cerr := f.dst.Close(); err == nil {
		err = cerr
	}
	f.Writer.Reset(nil)
	f.c.free = append(f.c.free, f.Writer)
	if err != nil {
		return fmt.Errorf("%s: %w", f.name, err)
	}
	f.c.files++
	f.c.bytes += f.bytes
	return nil
}

func (c *counter) create(name string) (*file, error) {
	dst, err := c.out.Create(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var bw *bufio.Writer
	if n := len(c.free); n > 0 {
		bw, c.free = c.free[n-1], c.free[:n-1]
		bw.Reset(dst)
	} else {
		bw = bufio.NewWriterSize(dst, 32<<10)
	}
	return &file{Writer: bw, c: c, dst: dst, name: name}, nil
}

// write creates name and writes it with fn.
func (c *counter) write(name string, fn func(w io.Writer) error) (int64, error) {
	f, err := c.create(name)
	if err != nil {
		return 0, err
	}
	if err := fn(f); err != nil {
		f.dst.Close()
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return f.bytes, f.Close()
}
