package evidence

import (
	"bytes"
	"regexp"
)

// Programs names the types Detect gives programs and scripts. They are
// refused at intake with ErrScript, whatever the file is called: a file
// named "statement.pdf" that holds HTML runs its script when a recipient
// opens it from disk, and one named "photo.jpg" that is a Windows program
// runs when its name is changed back.
var Programs = map[string]string{
	"application/x-msdownload":  "a Windows program",
	"application/x-executable":  "a Linux program",
	"application/x-mach-binary": "a macOS program",
	"application/java-vm":       "a Java program",
	"application/wasm":          "a WebAssembly program",
	"application/x-ms-shortcut": "a Windows shortcut",
	"text/x-shellscript":        "a script (#!)",
	"text/html":                 "markup a browser runs (a web page or an SVG image)",
	"text/x-script":             "a script (JavaScript, VBScript, PowerShell or a batch file)",
}

// binaryPrograms are executables and shortcuts by their first bytes.
var binaryPrograms = []struct{ prefix, typ string }{
	{"MZ", "application/x-msdownload"},
	{"\x7fELF", "application/x-executable"},
	{"\xfe\xed\xfa\xce", "application/x-mach-binary"}, {"\xfe\xed\xfa\xcf", "application/x-mach-binary"},
	{"\xce\xfa\xed\xfe", "application/x-mach-binary"}, {"\xcf\xfa\xed\xfe", "application/x-mach-binary"},
	{"\xca\xfe\xba\xbe", "application/java-vm"}, // also a universal macOS binary
	{"\x00asm", "application/wasm"},
	{"L\x00\x00\x00\x01\x14\x02\x00", "application/x-ms-shortcut"},
	{"dex\n", "application/java-vm"},
}

func programMagic(b []byte) string {
	for _, p := range binaryPrograms {
		if bytes.HasPrefix(b, []byte(p.prefix)) {
			return p.typ
		}
	}
	if bytes.HasPrefix(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")), []byte("#!")) && !bytes.HasPrefix(b, []byte("#!AMR")) {
		return "text/x-shellscript"
	}
	return ""
}

// markupRE and scriptRE find, anywhere in a text file, markup that a
// browser runs and the statements scripts are made of. They are written
// so that prose, chat logs and notes ("=>", "document.pdf", "5 < 6",
// "Set up a meeting") do not match.
var (
	markupRE = regexp.MustCompile(`(?i)<\s*(script|html|body|head|iframe|frame|frameset|object|embed|applet|svg|math|meta|link|base|form|img|video|audio|style|!doctype|hta:)[\s/>]` +
		`|(?i)\bon(load|error|click|mouseover|focus|blur|begin|end)\s*=|(?i)\b(javascript|vbscript):\S`)
	scriptRE = regexp.MustCompile(`\bfunction\b\s*[\w$]*\s*\([^)]*\)\s*\{` +
		`|\b(var|let|const)\s+[\w$]+\s*=\s*[^=\s]` +
		`|\b(document|window)\.(cookie|location|write|createElement|getElementById|body|open)\b` +
		`|\beval\s*\(|\bnew\s+ActiveXObject\b|(?i)\bWScript\.|(?i)\bCreateObject\s*\(|=>\s*\{` +
		`|\brequire\s*\(\s*['"]|\bmodule\.exports\b|\bconsole\.log\s*\(|\bXMLHttpRequest\b` +
		`|(?im)^\s*@?echo\s+off\b|(?i)\bpowershell(\.exe)?\s+-|(?i)-EncodedCommand\b` +
		`|(?i)\b(Invoke-Expression|Invoke-WebRequest|Start-Process|DownloadString|Net\.WebClient)\b|(?i)\bIEX\s*\(`)
)

// textScript is the type of a text that is markup or script, or "".
func textScript(b []byte) string {
	switch {
	case markupRE.Match(b):
		return "text/html"
	case scriptRE.Match(b):
		return "text/x-script"
	}
	return ""
}

// scriptScanner looks through a whole text file as it streams past, for
// the script that a first look at SniffLen bytes cannot see.
type scriptScanner struct {
	buf   []byte
	found string
}

// scanOverlap is how much of one chunk is kept before the next, so that a
// marker cut between two is still seen.
const scanOverlap = 256

func (s *scriptScanner) Write(p []byte) (int, error) {
	if s.found != "" {
		return len(p), nil
	}
	s.buf = append(s.buf, p...)
	if typ := textScript(s.buf); typ != "" {
		s.found = typ
	}
	if n := len(s.buf); n > scanOverlap {
		s.buf = append(s.buf[:0], s.buf[n-scanOverlap:]...)
	}
	return len(p), nil
}
