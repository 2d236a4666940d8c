// Package templates holds gongkai's pages, their layout and partials, and
// the static files, all embedded in the binary.
//
// Each page gets its own template set: layouts/*.html + partials/*.html +
// that one page, parsed once at start-up. A page is executed into a buffer
// before anything is written, so a template error becomes a clean error
// page, never half a page with status 200. Parse fails if any page is
// missing or broken, so a bad template stops the portal from starting.
package templates

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"gongkai/models"
)

// FS is the embedded template and static tree.
//
//go:embed layouts partials pages static
var FS embed.FS

// Set is the parsed page templates and the static files' fingerprints.
type Set struct {
	pages  map[string]*template.Template
	static map[string]string // path under static/ → short content hash
}

// Parse builds one template set per file under pages/ from fsys (FS in
// production, os.DirFS in development). Pages are named by their path
// without the extension, e.g. "home/index".
func Parse(fsys fs.FS) (*Set, error) {
	s := &Set{pages: map[string]*template.Template{}, static: map[string]string{}}
	if err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		s.static[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:])[:12]
		return nil
	}); err != nil {
		return nil, fmt.Errorf("parse templates: static: %w", err)
	}

	shared, err := sharedFiles(fsys)
	if err != nil {
		return nil, err
	}
	funcs := s.funcs()
	if err := fs.WalkDir(fsys, "pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "pages/"), ".html")
		t, err := template.New(path.Base(p)).Funcs(funcs).ParseFS(fsys, append(shared, p)...)
		if err != nil {
			return fmt.Errorf("page %s: %w", name, err)
		}
		if t.Lookup("content") == nil || t.Lookup("title") == nil {
			return fmt.Errorf("page %s: must define the blocks \"title\" and \"content\"", name)
		}
		s.pages[name] = t
		return nil
	}); err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	if len(s.pages) == 0 {
		return nil, fmt.Errorf("parse templates: no pages found")
	}
	return s, nil
}

func sharedFiles(fsys fs.FS) ([]string, error) {
	var out []string
	for _, dir := range []string{"layouts", "partials"} {
		m, err := fs.Glob(fsys, dir+"/*.html")
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	sort.Strings(out)
	return out, nil
}

// Has reports whether a page exists.
func (s *Set) Has(page string) bool { _, ok := s.pages[page]; return ok }

// Pages lists the page names.
func (s *Set) Pages() []string {
	out := make([]string, 0, len(s.pages))
	for k := range s.pages {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Render executes a page with data into w. It renders into a buffer first:
// on error nothing has been written to w.
func (s *Set) Render(w io.Writer, page string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("render: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// StaticURL returns the URL of a static file with its content hash as a
// version, so a changed file gets a new URL and browsers may cache each
// version for a year.
func (s *Set) StaticURL(p string) string {
	if h, ok := s.static[p]; ok {
		return "/static/" + p + "?v=" + h
	}
	return "/static/" + p
}

// StaticVersion returns the content hash of a static file, or "".
func (s *Set) StaticVersion(p string) string { return s.static[p] }

// funcs is the small, tested set of template helpers. None returns
// template.HTML built from user input.
func (s *Set) funcs() template.FuncMap {
	return template.FuncMap{
		"static": s.StaticURL,
		"dateCN": func(d models.Date) string { return d.Chinese() },
		"timeCN": func(t time.Time, loc *time.Location) string {
			if t.IsZero() {
				return ""
			}
			if loc != nil {
				t = t.In(loc)
			}
			return t.Format("2006年1月2日 15:04")
		},
		"add": func(a, b int) int { return a + b },
		// dict builds the argument map of a partial: (dict "name" "phone" "label" "联系电话" …).
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		// list builds a slice for range in templates.
		"list": func(v ...any) []any { return v },
	}
}
