package handlers

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"gongkai/models"
)

// fuzzBoundary is the multipart boundary of the fuzzed bodies.
const fuzzBoundary = "gkfuzzboundary"

// fuzzMultipart builds a well-formed multipart body for the seed corpus.
func fuzzMultipart(fields map[string]string, files map[string][]byte) []byte {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.SetBoundary(fuzzBoundary)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for name, content := range files {
		p, _ := w.CreateFormFile(models.FieldSupporting, name)
		p.Write(content)
	}
	w.Close()
	return b.Bytes()
}

// FuzzReadPostedForm feeds arbitrary bodies, multipart and URL-encoded,
// under a small body limit, to the form parser every citizen form goes
// through (readPostedForm), and then to the application form's reading
// and validation. It must never panic; an error is an EINVALID *Error with
// a Chinese message; what it returns keeps the limits: text values at most
// maxTextValue bytes, at most maxFileParts files, none over
// models.MaxUploadBytes, and an oversize file flagged rather than kept.
func FuzzReadPostedForm(f *testing.F) {
	f.Add(true, fuzzMultipart(map[string]string{"name": "张三", "id_number": "110101199003074477", "form_token": "x"},
		map[string][]byte{"a.pdf": []byte("%PDF-1.4\n%%EOF")}))
	f.Add(true, fuzzMultipart(map[string]string{"description": strings.Repeat("长", 30000)}, nil))
	f.Add(true, fuzzMultipart(nil, map[string][]byte{"../../etc/passwd": []byte("\x89PNG\r\n\x1a\n"), "": nil}))
	f.Add(true, []byte("--"+fuzzBoundary+"\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunterminated"))
	f.Add(true, []byte("--"+fuzzBoundary+"\r\nContent-Disposition: form-data; name*=UTF-8''%E5%90%8D; filename=\"\\\"\"\r\n\r\n\r\n--"+fuzzBoundary+"--\r\n"))
	f.Add(false, []byte("name=%E5%BC%A0%E4%B8%89&has_agent=on&remove_upload=1&remove_upload=-3&remove_upload=x"))
	f.Add(false, []byte("a=%zz&b=;c"))
	gin.SetMode(gin.ReleaseMode)
	const limit = 64 << 10
	f.Fuzz(func(t *testing.T, multi bool, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/apply", bytes.NewReader(body))
		if multi {
			req.Header.Set("Content-Type", "multipart/form-data; boundary="+fuzzBoundary)
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		req.Body = http.MaxBytesReader(rec, req.Body, limit)
		c.Request = req

		in, err := readPostedForm(c)
		if err != nil {
			var e *models.Error
			if !errors.As(err, &e) || e.Code != models.EINVALID || !utf8.ValidString(e.Message) || e.Message == "" {
				t.Fatalf("error %#v: want an EINVALID *Error with a message", err)
			}
			return
		}
		for k, vs := range in.values {
			for _, v := range vs {
				if multi && len(v) > maxTextValue {
					t.Fatalf("value of %q is %d bytes, over maxTextValue", k, len(v))
				}
			}
		}
		if len(in.files) > maxFileParts {
			t.Fatalf("%d files kept, over %d", len(in.files), maxFileParts)
		}
		for _, pf := range in.files {
			if len(pf.content) > models.MaxUploadBytes || pf.tooBig && len(pf.content) != 0 {
				t.Fatalf("file %q: %d bytes kept, tooBig %v", pf.filename, len(pf.content), pf.tooBig)
			}
			if name := models.CleanFilename(pf.filename, models.SniffContentType(pf.content)); strings.ContainsAny(name, "/\\\x00") {
				t.Fatalf("cleaned file name %q keeps a path or NUL", name)
			}
		}
		in.ids("remove_upload")
		form := applicationForm(in)
		form.Validate(models.MustParseDate("2026-05-20"))
	})
}
