package models

// Files attached to catalog entries. They are public once the entry is
// published, so they are kept in the database in clear (unlike
// applicants' files), but they are checked like any upload: the type is
// recognised from the bytes, and the text is read where it can be, so that
// the confidentiality scanner and the link check see it (catalog_check.go).
//
// Text is read, with the standard library only, from plain text (UTF-8),
// DOCX, XLSX and OFD (all zip archives of XML). A PDF's text layer is read
// by the caller's PDFTextReader (reports.ExtractPDFText: models cannot
// import reports), which also says whether the layer covers every page: a
// scanned page, a page drawn as pictures or glyphs without a Unicode
// mapping would otherwise pass as "clean". A PDF without a text layer, an
// image or a legacy Office file has no text layer here, and the publisher
// attests that they read it; a PDF whose layer covers only some pages is
// checked as far as it is read and attested for the rest.

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// Content types of catalog files besides TypePDF, TypeJPEG and TypePNG.
const (
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeOFD  = "application/ofd"
	TypeDOC  = "application/msword"
	TypeXLS  = "application/vnd.ms-excel"
	TypeText = "text/plain; charset=utf-8"
	TypeCSV  = "text/csv; charset=utf-8"
)

// MaxCatalogFileBytes is the largest catalog file accepted (the same 10 MB
// as uploads: files live in the database).
const MaxCatalogFileBytes = MaxUploadBytes

// MaxCatalogFiles is the most files one entry carries.
const MaxCatalogFiles = 20

// maxTextLayer caps the text kept of one file. A longer text is not
// checked in part: the file counts as having no text layer.
const maxTextLayer = 4 << 20

// maxUnzipped caps what is decompressed from one archive (zip bombs).
const maxUnzipped = 64 << 20

// TextLayer says whether a file's text could be read for the checks.
type TextLayer string

// Text layers. Stored values; do not change.
const (
	TextLayerText TextLayer = "text" // the text was read
	TextLayerNone TextLayer = "none" // no text can be read here: needs attestation
	// TextLayerPartial: a PDF some of whose pages were read; the text read
	// is checked, and the rest needs attestation.
	TextLayerPartial TextLayer = "partial"
)

// Label says, for the publisher, what the checks could read of a file.
func (l TextLayer) Label() string {
	switch l {
	case TextLayerText:
		return "已提取文字，自动检查"
	case TextLayerPartial:
		return "部分页面无法提取文字，须人工审查"
	}
	return "无法提取文字，须人工审查"
}

// PDFTextReader reads a PDF's text layer: the text of each page, and
// whether the layer covers the whole document. reports.ExtractPDFText has
// this shape over an io.ReaderAt.
type PDFTextReader func(content []byte) (pages []string, complete bool, err error)

// A PDF's text is stored and checked with a form feed before every page
// (and a line end before every form feed but the first), so that TextPlace
// can tell the page and the line within it.
const pageBreak = "\n\f"

// CatalogFile is a file attached to a catalog entry.
type CatalogFile struct {
	ID          int64
	AgencyID    int64
	EntryID     int64
	Filename    string
	ContentType string
	Size        int64
	SHA256      string // hex, of the content
	TextLayer   TextLayer
	Text        string // the text layer; loaded for the checks only
	Content     []byte // loaded for downloads only
	CreatedAt   time.Time
}

// FileTypeLabel names a content type the way the catalog lists files.
func FileTypeLabel(ct string) string {
	switch ct {
	case TypePDF:
		return "PDF"
	case TypeJPEG:
		return "JPEG图片"
	case TypePNG:
		return "PNG图片"
	case TypeDOCX:
		return "Word文档"
	case TypeXLSX:
		return "Excel表格"
	case TypeOFD:
		return "OFD版式文件"
	case TypeDOC:
		return "Word 97-2003文档"
	case TypeXLS:
		return "Excel 97-2003表格"
	case TypeText:
		return "文本文件"
	case TypeCSV:
		return "CSV表格"
	}
	return "文件"
}

var extOf = map[string]string{
	TypePDF: ".pdf", TypeJPEG: ".jpg", TypePNG: ".png", TypeDOCX: ".docx", TypeXLSX: ".xlsx",
	TypeOFD: ".ofd", TypeDOC: ".doc", TypeXLS: ".xls", TypeText: ".txt", TypeCSV: ".csv",
}

var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// DetectCatalogFile returns the content type of a catalog file recognised
// from its bytes (and, for legacy Office and text files, which carry no
// signature of their own, from its extension), or "" when it is not a
// format the catalog takes.
func DetectCatalogFile(filename string, b []byte) string {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(filename, "\\", "/")))
	if ct := SniffContentType(b); ct != "" {
		return ct
	}
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return ""
		}
		for _, f := range zr.File {
			switch f.Name {
			case "word/document.xml":
				return TypeDOCX
			case "xl/workbook.xml":
				return TypeXLSX
			case "OFD.xml":
				return TypeOFD
			}
		}
	case bytes.HasPrefix(b, oleSignature):
		switch ext {
		case ".doc", ".wps":
			return TypeDOC
		case ".xls", ".et":
			return TypeXLS
		}
	case ext == ".txt" || ext == ".csv":
		t := bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
		if utf8.Valid(t) && !bytes.ContainsRune(t, 0) {
			if ext == ".csv" {
				return TypeCSV
			}
			return TypeText
		}
	}
	return ""
}

// CheckCatalogFile checks an uploaded catalog file and returns it with its
// type, a cleaned name, its hash and its text layer. Every PDF counts as
// having no text layer: CheckCatalogFileWith reads them.
func CheckCatalogFile(filename string, content []byte) (CatalogFile, error) {
	return CheckCatalogFileWith(filename, content, nil)
}

// CheckCatalogFileWith is CheckCatalogFile with a reader of PDF text
// layers (see PDFTextLayer); with a nil readPDF, PDFs have no text layer.
func CheckCatalogFileWith(filename string, content []byte, readPDF PDFTextReader) (CatalogFile, error) {
	name := CleanFilename(filename, "")
	switch {
	case len(content) == 0:
		return CatalogFile{}, Errorf(EINVALID, "文件“%s”是空文件，请重新选择。", name)
	case len(content) > MaxCatalogFileBytes:
		return CatalogFile{}, Errorf(EINVALID, "文件“%s”大小为%s，超过了10MB的限制。", name, FormatSize(int64(len(content))))
	}
	ct := DetectCatalogFile(filename, content)
	if ct == "" {
		ext := strings.ToLower(path.Ext(name))
		if ext == ".txt" || ext == ".csv" {
			return CatalogFile{}, Errorf(EINVALID, "文本文件“%s”不是UTF-8编码。请另存为UTF-8编码后再上传。", name)
		}
		return CatalogFile{}, Errorf(EINVALID, "文件“%s”的格式不能作为目录附件。请上传PDF、OFD、Word、Excel、文本文件或JPEG、PNG图片（按文件内容识别，与文件名无关）。", name)
	}
	if want := extOf[ct]; want != "" {
		ext := strings.ToLower(path.Ext(name))
		ok := ext == want || want == ".jpg" && ext == ".jpeg" || want == ".doc" && ext == ".wps" || want == ".xls" && ext == ".et"
		if !ok {
			name += want
		}
	}
	sum := sha256.Sum256(content)
	f := CatalogFile{Filename: name, ContentType: ct, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), Content: content}
	if ct == TypePDF && readPDF != nil {
		f.Text, f.TextLayer = PDFTextLayer(content, readPDF)
	} else {
		f.Text, f.TextLayer = ExtractText(ct, content)
	}
	return f, nil
}

// PDFTextLayer reads a PDF's text for the checks with readPDF: each page
// after a form feed, and TextLayerText when the layer covers every
// page, TextLayerPartial when it covers only some (the text read is still
// checked), or "" and TextLayerNone when nothing could be read (a scan, a
// damaged file, a file beyond the reader's limits, or a text longer than
// can be checked).
func PDFTextLayer(b []byte, readPDF PDFTextReader) (string, TextLayer) {
	pages, complete, err := readPDF(b)
	if err != nil {
		return "", TextLayerNone
	}
	for i, p := range pages {
		// The stored text must be valid UTF-8 without NULs (both databases
		// keep it as text), and a form feed only ever separates pages.
		pages[i] = strings.NewReplacer("\x00", "", "\f", "\n").Replace(strings.ToValidUTF8(p, "\uFFFD"))
	}
	text := "\f" + strings.Join(pages, pageBreak)
	switch {
	case len(text) > maxTextLayer:
		return "", TextLayerNone
	case complete:
		return text, TextLayerText
	case strings.TrimSpace(strings.ReplaceAll(text, "\f", "")) == "":
		return "", TextLayerNone
	}
	return text, TextLayerPartial
}

// TextPlace returns where byte offset i of a checked text lies: the page
// (1-based) when the text is a PDF's pages, each after a form feed
// (PDFTextLayer), 0 otherwise; and the line (1-based) within that page or
// text.
func TextPlace(text string, i int) (page, line int) {
	i = max(0, min(i, len(text)))
	before := text[:i]
	if strings.HasPrefix(text, "\f") {
		page = max(1, strings.Count(before, "\f"))
		before = before[strings.LastIndexByte(before, '\f')+1:]
	}
	return page, strings.Count(before, "\n") + 1
}

// ExtractText returns the text of a file of content type ct for the
// checks, and TextLayerText; or "" and TextLayerNone when its text cannot
// be read here (PDF, images, legacy Office files, damaged or oversized
// archives, or a text longer than can be checked).
func ExtractText(ct string, b []byte) (string, TextLayer) {
	var text string
	var err error
	switch ct {
	case TypeText, TypeCSV:
		t := bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
		if !utf8.Valid(t) {
			return "", TextLayerNone
		}
		text = string(t)
	case TypeDOCX:
		text, err = zipText(b, docxPart, docxText)
	case TypeXLSX:
		text, err = zipText(b, xlsxPart, xlsxText)
	case TypeOFD:
		text, err = zipText(b, func(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".xml") }, ofdText)
	default:
		return "", TextLayerNone
	}
	if err != nil || len(text) > maxTextLayer {
		return "", TextLayerNone
	}
	return text, TextLayerText
}

// xmlText describes which elements of an XML part hold text: text
// elements whose character data is kept, elements after which a line
// ends, and elements that stand for a space or a line break.
type xmlText struct {
	text  map[string]bool
	lines map[string]bool
	space map[string]bool
	brk   map[string]bool
}

var (
	docxText = xmlText{
		// instrText holds field codes such as HYPERLINK "https://…"; delText
		// is text deleted with tracked changes, still inside the file.
		text:  map[string]bool{"t": true, "instrText": true, "delText": true},
		lines: map[string]bool{"p": true, "tr": true},
		space: map[string]bool{"tab": true, "tc": true},
		brk:   map[string]bool{"br": true, "cr": true},
	}
	xlsxText = xmlText{
		text:  map[string]bool{"t": true, "v": true},
		lines: map[string]bool{"si": true, "c": true, "row": true, "comment": true},
	}
	ofdText = xmlText{
		text:  map[string]bool{"TextCode": true},
		lines: map[string]bool{"TextObject": true},
	}
)

func docxPart(name string) bool {
	if !strings.HasPrefix(name, "word/") || !strings.HasSuffix(name, ".xml") {
		return false
	}
	base := path.Base(name)
	for _, p := range []string{"document", "header", "footer", "footnotes", "endnotes", "comments"} {
		if strings.HasPrefix(base, p) {
			return true
		}
	}
	return false
}

func xlsxPart(name string) bool {
	return name == "xl/sharedStrings.xml" ||
		strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") ||
		strings.HasPrefix(name, "xl/comments") && strings.HasSuffix(name, ".xml")
}

var errTooBig = errors.New("archive expands beyond the limit")

// zipText reads the text of the archive's parts that want accepts, and the
// targets of the external relationships (hyperlinks) of every .rels part,
// each on a line of its own.
func zipText(b []byte, want func(string) bool, spec xmlText) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", err
	}
	var out strings.Builder
	budget := int64(maxUnzipped)
	for _, f := range zr.File {
		isRels := strings.HasSuffix(f.Name, ".rels")
		if !isRels && !want(f.Name) {
			continue
		}
		if int64(f.UncompressedSize64) > budget {
			return "", errTooBig
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		lr := &io.LimitedReader{R: rc, N: budget + 1}
		if isRels {
			err = relsTargets(lr, &out)
		} else {
			err = spec.read(lr, &out)
		}
		rc.Close()
		if err != nil {
			return "", err
		}
		if budget = lr.N - 1; budget < 0 {
			return "", errTooBig
		}
		if out.Len() > maxTextLayer {
			return "", errTooBig
		}
	}
	return out.String(), nil
}

func (s xmlText) read(r io.Reader, out *strings.Builder) error {
	d := xml.NewDecoder(r)
	depth := 0 // inside how many text elements
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case s.text[t.Name.Local]:
				depth++
			case s.space[t.Name.Local]:
				out.WriteByte(' ')
			case s.brk[t.Name.Local]:
				out.WriteByte('\n')
			}
		case xml.EndElement:
			switch {
			case s.text[t.Name.Local]:
				depth--
			case s.lines[t.Name.Local]:
				out.WriteByte('\n')
			}
		case xml.CharData:
			if depth > 0 {
				out.Write(t)
			}
		}
	}
}

// relsTargets writes the targets of a relationships part's external
// relationships (hyperlinks, linked images), one per line.
func relsTargets(r io.Reader, out *strings.Builder) error {
	d := xml.NewDecoder(r)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "Relationship" {
			continue
		}
		var target, mode string
		for _, a := range el.Attr {
			switch a.Name.Local {
			case "Target":
				target = a.Value
			case "TargetMode":
				mode = a.Value
			}
		}
		if mode == "External" && target != "" {
			out.WriteString("\n" + target + "\n")
		}
	}
}
