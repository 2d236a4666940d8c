package reports

// Reading the text layer of a PDF for the confidentiality review (保密审查,
// 网站管理办法第十条): every released file is scanned for personal
// information before release, and a file whose pages cannot all be read as
// text needs the reviewer's attestation instead.
//
// pdfcpu parses the file (cross-reference tables and streams, object
// streams, filters, encryption with an empty user password), with its
// resource limits and a deadline, so a damaged or hostile file costs
// bounded time and memory. pdfcpu does not turn content streams into text,
// and the rsc.io/pdf family of readers garbles the ToUnicode CMap our own
// letters carry (the range <0000> <FFFF> <0000>), so the content stream
// interpreter and the CMap decoding below are our own: text positioning
// operators, fonts with their widths, ToUnicode, the UCS-2 and GBK CMaps
// that Chinese producers use without ToUnicode, and form XObjects.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/models"
)

// Limits on the work one PDF may cause. Uploads are at most 10 MB
// (models.MaxUploadBytes); the limits leave room for that and refuse what
// only a hostile file needs.
const (
	maxPDFBytes       = 64 << 20         // the file itself
	maxPDFPages       = 3000             // pages read
	maxPDFDecode      = 64 << 20         // any one decoded stream
	maxPDFContent     = 256 << 20        // decoded content interpreted, all pages together
	maxPDFOps         = 20_000_000       // content operators interpreted
	maxPDFText        = 16 << 20         // bytes of text returned
	maxXObjectDepth   = 8                // nesting of form XObjects
	maxCMapEntries    = 200_000          // mappings kept from one ToUnicode CMap
	pdfReadTimeout    = 30 * time.Second // parsing and interpreting together
	imageAreaFraction = 0.05             // an image larger than this share of a page may hold text
	outlineFills      = 20               // fills on a page without text that suggest outlined text
)

// ErrPDFLimit is returned, wrapped, when a PDF exceeds a limit on the work
// its text extraction may cause.
var ErrPDFLimit = errors.New("pdf exceeds the extraction limits")

var pdfcpuInit sync.Once

// pdfConfig returns the pdfcpu configuration used here: relaxed parsing,
// no configuration directory (pdfcpu would otherwise create one under the
// user's home), and our limits.
func pdfConfig() *model.Configuration {
	pdfcpuInit.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Limits.MaxStreamBytes = maxPDFBytes
	conf.Limits.MaxDecodeBytes = maxPDFDecode
	conf.Limits.MaxObjectCount = 1_000_000
	conf.Limits.MaxXRefEntries = 1_000_000
	conf.Limits.MaxObjectStreamCount = 1_000_000
	conf.Limits.MaxRecursionDepth = 64
	return conf
}

// ExtractPDFText returns the text of every page of the PDF in r (size
// bytes long), one string per page with lines separated by newlines, and
// whether the text layer covers the document: false when a page draws its
// content as images (a scan, a photographed page, a picture taking more than
// 5% of the page) or as filled outlines without text, or shows glyphs that
// cannot be mapped to Unicode. The text of such pages is still returned, as
// far as it could be read. It never panics: a malformed file is an error,
// and so is one that exceeds the limits on the work it may cause
// (ErrPDFLimit).
func ExtractPDFText(r io.ReaderAt, size int64) (pages []string, hasTextLayer bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			pages, hasTextLayer, err = nil, false, fmt.Errorf("reports: extract pdf text: malformed pdf: %v", p)
		}
	}()
	if size > maxPDFBytes {
		return nil, false, fmt.Errorf("reports: extract pdf text: %d bytes: %w", size, ErrPDFLimit)
	}
	c, cancel := context.WithTimeout(context.Background(), pdfReadTimeout)
	defer cancel()
	ctx, err := pdfcpu.ReadWithContext(c, io.NewSectionReader(r, 0, size), pdfConfig())
	if err != nil {
		return nil, false, fmt.Errorf("reports: extract pdf text: %w", err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, false, fmt.Errorf("reports: extract pdf text: page count: %w", err)
	}
	if ctx.PageCount > maxPDFPages {
		return nil, false, fmt.Errorf("reports: extract pdf text: %d pages: %w", ctx.PageCount, ErrPDFLimit)
	}
	x := &textExtractor{xref: ctx.XRefTable, c: c, fonts: map[types.IndirectRef]*pdfFont{}}
	hasTextLayer = ctx.PageCount > 0
	for i := 1; i <= ctx.PageCount; i++ {
		text, covered, err := x.page(i)
		if err != nil {
			return nil, false, fmt.Errorf("reports: extract pdf text: page %d: %w", i, err)
		}
		pages = append(pages, text)
		hasTextLayer = hasTextLayer && covered
	}
	return pages, hasTextLayer, nil
}

// textExtractor holds what is shared between the pages of one file: the
// parsed fonts and the work done so far.
type textExtractor struct {
	xref    *model.XRefTable
	c       context.Context
	fonts   map[types.IndirectRef]*pdfFont
	content int64 // decoded content bytes interpreted
	ops     int   // operators interpreted
	text    int   // bytes of text produced
}

// pageState is what one page's interpretation collects.
type pageState struct {
	runs     []textRun
	glyphs   int
	unmapped int
	images   float64 // area of the images drawn, in square points
	fills    int
}

// textRun is a string shown at one place, in device space.
type textRun struct {
	s          string
	x0, x1, y  float64
	size       float64
	horizontal bool
}

// page returns the text of page n and whether its text layer covers it.
func (x *textExtractor) page(n int) (string, bool, error) {
	d, _, attrs, err := x.xref.PageDict(n, false)
	if err != nil {
		return "", false, err
	}
	var res types.Dict
	area := 595.0 * 842.0
	if attrs != nil {
		res = attrs.Resources
		if mb := attrs.MediaBox; mb != nil && mb.Width() > 0 && mb.Height() > 0 {
			area = mb.Width() * mb.Height()
		}
	}
	if r, err := x.xref.DereferenceDict(d["Resources"]); err == nil && r != nil {
		res = r
	}
	content, err := x.contents(d["Contents"])
	if err != nil {
		return "", false, err
	}
	var ps pageState
	if err := x.interpret(content, res, identity, &ps, 0); err != nil {
		return "", false, err
	}
	covered := ps.unmapped == 0 && ps.images <= imageAreaFraction*area && (ps.glyphs > 0 || ps.fills < outlineFills)
	text := layoutRuns(ps.runs)
	x.text += len(text)
	if x.text > maxPDFText {
		return "", false, fmt.Errorf("text: %w", ErrPDFLimit)
	}
	return text, covered, nil
}

// contents decodes a page's content streams (one stream or an array of
// them) into one buffer, within the budget.
func (x *textExtractor) contents(o types.Object) ([]byte, error) {
	o, err := x.xref.Dereference(o)
	if err != nil || o == nil {
		return nil, err
	}
	var streams []types.Object
	switch o := o.(type) {
	case types.StreamDict:
		streams = []types.Object{o}
	case types.Array:
		streams = o
	default:
		return nil, nil
	}
	var buf []byte
	for _, s := range streams {
		b, err := x.decode(s)
		if err != nil {
			return nil, err
		}
		buf = append(buf, b...)
		buf = append(buf, '\n')
	}
	return buf, nil
}

// decode returns a stream's decoded bytes, counted against the budget.
func (x *textExtractor) decode(o types.Object) ([]byte, error) {
	var sd *types.StreamDict
	switch s := o.(type) {
	case types.StreamDict:
		sd = &s
	default:
		var err error
		if sd, _, err = x.xref.DereferenceStreamDict(o); err != nil || sd == nil {
			return nil, err
		}
	}
	if err := x.c.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPDFLimit, err)
	}
	if sd.Content == nil {
		if err := sd.DecodeWithLimit(min(maxPDFDecode, maxPDFContent-x.content+1)); err != nil {
			return nil, err
		}
	}
	x.content += int64(len(sd.Content))
	if x.content > maxPDFContent {
		return nil, fmt.Errorf("content: %w", ErrPDFLimit)
	}
	return sd.Content, nil
}

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n: m applied first.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

// gstate is the part of the graphics and text state that places text.
type gstate struct {
	ctm                  matrix
	font                 *pdfFont
	size                 float64
	tc, tw, th, tl, rise float64
}

// interpret runs a content stream, collecting text runs and images into
// ps. res is the resource dictionary in force; depth counts form XObjects.
func (x *textExtractor) interpret(content []byte, res types.Dict, ctm matrix, ps *pageState, depth int) error {
	g := gstate{ctm: ctm, th: 1}
	var stack []gstate
	var tm, tlm matrix
	fonts := x.subDict(res, "Font")
	xobjects := x.subDict(res, "XObject")
	lx := pdfLexer{b: content}
	var args []any
	for {
		tok, ok := lx.next()
		if !ok {
			break
		}
		op, isOp := tok.(pdfOp)
		if !isOp {
			if len(args) >= 64 { // garbage: no operator takes that many operands
				args = args[:0]
			}
			args = append(args, tok)
			continue
		}
		x.ops++
		if x.ops > maxPDFOps {
			return fmt.Errorf("operators: %w", ErrPDFLimit)
		}
		if x.ops%100_000 == 0 && x.c.Err() != nil {
			return fmt.Errorf("%w: %w", ErrPDFLimit, x.c.Err())
		}
		num := func(i int) float64 {
			if i < len(args) {
				if f, ok := args[i].(float64); ok {
					return f
				}
			}
			return 0
		}
		show := func(s []byte) {
			if g.font == nil {
				g.font = &pdfFont{unknown: true}
			}
			x.show(s, &g, &tm, ps)
		}
		switch op {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, g)
			}
		case "Q":
			if n := len(stack); n > 0 {
				g, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(args) == 2 {
				if name, ok := args[0].(pdfName); ok {
					g.font = x.font(fonts[string(name)])
				}
				g.size = num(1)
			}
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.rise = num(0)
		case "Td", "TD":
			if op == "TD" {
				g.tl = -num(1)
			}
			tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "Tm":
			if len(args) == 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
			tm = tlm
		case "Tj", "'", "\"":
			if op != "Tj" {
				tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
				tm = tlm
			}
			if op == "\"" && len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
			}
			if len(args) > 0 {
				if s, ok := args[len(args)-1].(pdfString); ok {
					show(s)
				}
			}
		case "TJ":
			if len(args) > 0 {
				arr, _ := args[0].([]any)
				for _, e := range arr {
					switch e := e.(type) {
					case pdfString:
						show(e)
					case float64:
						tm = matrix{1, 0, 0, 1, -e / 1000 * g.size * g.th, 0}.mul(tm)
					}
				}
			}
		case "Do":
			if len(args) == 1 {
				if name, ok := args[0].(pdfName); ok {
					if err := x.xobject(xobjects[string(name)], res, g.ctm, ps, depth); err != nil {
						return err
					}
				}
			}
		case "EI": // end of an inline image: it fills the unit square
			ps.images += math.Abs(g.ctm[0]*g.ctm[3] - g.ctm[1]*g.ctm[2])
		case "f", "F", "f*", "B", "B*", "b", "b*", "sh":
			ps.fills++
		}
		args = args[:0]
	}
	return nil
}

// subDict returns the named sub-dictionary of a resource dictionary
// (Font, XObject), dereferenced, or nil.
func (x *textExtractor) subDict(res types.Dict, key string) types.Dict {
	if res == nil {
		return nil
	}
	d, err := x.xref.DereferenceDict(res[key])
	if err != nil {
		return nil
	}
	return d
}

// xobject draws an XObject: an image adds its area, a form is interpreted
// with its own resources and matrix.
func (x *textExtractor) xobject(o types.Object, res types.Dict, ctm matrix, ps *pageState, depth int) error {
	sd, _, err := x.xref.DereferenceStreamDict(o)
	if err != nil || sd == nil {
		return nil
	}
	switch st := sd.Subtype(); {
	case st != nil && *st == "Image":
		ps.images += math.Abs(ctm[0]*ctm[3] - ctm[1]*ctm[2])
		return nil
	case st == nil || *st != "Form":
		return nil
	}
	if depth >= maxXObjectDepth {
		return fmt.Errorf("form xobjects nested too deep: %w", ErrPDFLimit)
	}
	content, err := x.decode(*sd)
	if err != nil {
		return err
	}
	if r, err := x.xref.DereferenceDict(sd.Dict["Resources"]); err == nil && r != nil {
		res = r
	}
	if m, err := x.xref.DereferenceArray(sd.Dict["Matrix"]); err == nil && len(m) == 6 {
		var fm matrix
		for i, v := range m {
			fm[i] = pdfNumber(v)
		}
		ctm = fm.mul(ctm)
	}
	return x.interpret(content, res, ctm, ps, depth+1)
}

// show decodes a string with the current font and records it as a run,
// advancing the text matrix by its glyphs' widths.
func (x *textExtractor) show(s []byte, g *gstate, tm *matrix, ps *pageState) {
	f := g.font
	trm := matrix{g.size * g.th, 0, 0, g.size, 0, g.rise}.mul(*tm).mul(g.ctm)
	x0, y := trm.apply(0, 0)
	var b strings.Builder
	for len(s) > 0 {
		gl := f.next(&s)
		ps.glyphs++
		if gl.unmapped {
			ps.unmapped++
		}
		b.WriteString(gl.text)
		adv := gl.width/1000*g.size + g.tc
		if gl.space {
			adv += g.tw
		}
		*tm = matrix{1, 0, 0, 1, adv * g.th, 0}.mul(*tm)
	}
	end := matrix{g.size * g.th, 0, 0, g.size, 0, g.rise}.mul(*tm).mul(g.ctm)
	x1, _ := end.apply(0, 0)
	size := g.size * math.Hypot(tm[2], tm[3]) * math.Hypot(g.ctm[2], g.ctm[3])
	if size <= 0 {
		size = 1
	}
	horizontal := math.Abs(trm[1]) < 1e-6*math.Max(1, math.Abs(trm[0]))
	ps.runs = append(ps.runs, textRun{s: b.String(), x0: x0, x1: x1, y: y, size: size, horizontal: horizontal})
}

// layoutRuns joins runs into lines: a run on the same baseline that follows
// the previous one continues its line, with a space after a word-sized gap
// and a tab after a column-sized one (so that the scanner never joins the
// numbers of two table cells); anything else starts a new line.
func layoutRuns(runs []textRun) string {
	var b strings.Builder
	var prev *textRun
	for i := range runs {
		r := &runs[i]
		if r.s == "" {
			continue
		}
		if prev != nil {
			tol := 0.5 * math.Max(prev.size, r.size)
			sameLine := r.horizontal && prev.horizontal && math.Abs(r.y-prev.y) < tol && r.x0 > prev.x1-tol
			switch gap := r.x0 - prev.x1; {
			case !sameLine:
				b.WriteByte('\n')
			case gap > 2.5*r.size:
				b.WriteByte('\t')
			case gap > 0.25*r.size && !strings.HasSuffix(prev.s, " ") && !strings.HasPrefix(r.s, " "):
				b.WriteByte(' ')
			}
		}
		b.WriteString(r.s)
		prev = r
	}
	return b.String()
}

// pdfNumber returns an integer or real object as a float, 0 otherwise.
func pdfNumber(o types.Object) float64 {
	switch v := o.(type) {
	case types.Integer:
		return float64(v)
	case types.Float:
		return float64(v)
	}
	return 0
}

// glyph is one decoded character code.
type glyph struct {
	text     string
	width    float64 // in thousandths of the font size
	space    bool    // the single-byte code 32, which word spacing applies to
	unmapped bool
}

// pdfFont decodes the character codes of one font.
type pdfFont struct {
	unknown  bool            // no usable font dictionary: bytes read as Latin-1, widths guessed
	cid      bool            // a composite (Type0) font: codes of one or more bytes
	toUni    *cmap           // the ToUnicode CMap, nil when none
	simple   *[256]rune      // a simple font's encoding; -1 marks a code with no known character
	ucs2     bool            // Type0 with a UCS-2 or UTF-16 CMap: the codes are Unicode
	gbk      bool            // Type0 with a GB CMap: the codes are GBK/GB 18030 bytes
	widths   map[int]float64 // CID or code → width
	dw       float64         // default width
	scale    float64         // Type 3 fonts: glyph space to thousandths
	cidIsRaw bool            // Identity CMap: the CID is the code
}

// next decodes the next code of s and advances s past it.
func (f *pdfFont) next(s *[]byte) glyph {
	b := *s
	n := f.codeLen(b)
	code := 0
	for _, c := range b[:n] {
		code = code<<8 | int(c)
	}
	raw := b[:n]
	*s = b[n:]

	g := glyph{width: f.width(code), space: n == 1 && code == 32}
	if f.toUni != nil {
		if t, ok := f.toUni.lookup(raw); ok {
			g.text = t
			return g
		}
	}
	switch {
	case f.unknown:
		g.text = string(rune(code))
	case f.cid && f.ucs2:
		g.text = string(utf16.Decode([]uint16{uint16(code)}))
	case f.cid && f.gbk:
		t, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
		if err != nil || !utf8.Valid(t) || bytes.ContainsRune(t, utf8.RuneError) {
			g.text, g.unmapped = "\uFFFD", true
		} else {
			g.text = string(t)
		}
	case f.cid:
		g.text, g.unmapped = "\uFFFD", true
	default:
		r := f.simple[code&0xFF]
		if r < 0 {
			g.text, g.unmapped = "\uFFFD", true
		} else if r >= 0x20 || r == '\t' {
			g.text = string(r)
		}
	}
	return g
}

// codeLen returns the length of the code at the start of b.
func (f *pdfFont) codeLen(b []byte) int {
	if !f.cid {
		return 1
	}
	if f.toUni != nil {
		if n := f.toUni.codeLen(b); n > 0 {
			return n
		}
	}
	if f.gbk {
		switch {
		case b[0] < 0x81 || len(b) < 2:
			return 1
		case b[1] >= 0x30 && b[1] <= 0x39 && len(b) >= 4:
			return 4 // a four-byte GB 18030 sequence
		}
		return 2
	}
	return min(2, len(b))
}

// width returns the advance of a code in thousandths of the font size.
func (f *pdfFont) width(code int) float64 {
	if f.cid && !f.cidIsRaw {
		return f.dw
	}
	w, ok := f.widths[code]
	if !ok {
		w = f.dw
	}
	if f.scale != 0 {
		w *= f.scale
	}
	return w
}

// font returns the decoder for a font dictionary, parsed once per file.
func (x *textExtractor) font(o types.Object) *pdfFont {
	ref, isRef := o.(types.IndirectRef)
	if isRef {
		if f, ok := x.fonts[ref]; ok {
			return f
		}
	}
	f := x.parseFont(o)
	if isRef {
		x.fonts[ref] = f
	}
	return f
}

func (x *textExtractor) parseFont(o types.Object) *pdfFont {
	d, err := x.xref.DereferenceDict(o)
	if err != nil || d == nil {
		return &pdfFont{unknown: true, dw: 500}
	}
	f := &pdfFont{widths: map[int]float64{}}
	if tu, ok := d.Find("ToUnicode"); ok {
		if b, err := x.decode(tu); err == nil {
			f.toUni = parseCMap(b)
		}
	}
	subtype := ""
	if st := d.Subtype(); st != nil {
		subtype = *st
	}
	if subtype == "Type0" {
		f.cid, f.dw = true, 1000
		if enc, err := x.xref.Dereference(d["Encoding"]); err == nil {
			if name, ok := enc.(types.Name); ok {
				n := string(name)
				f.cidIsRaw = n == "Identity-H" || n == "Identity-V"
				f.ucs2 = strings.Contains(n, "UCS2") || strings.Contains(n, "UTF16")
				f.gbk = strings.HasPrefix(n, "GB") // GB-EUC-H, GBpc-EUC-H, GBK-EUC-H, GBKp-EUC-H, GBK2K-H
			}
		}
		if desc, err := x.xref.DereferenceArray(d["DescendantFonts"]); err == nil && len(desc) > 0 {
			if dd, err := x.xref.DereferenceDict(desc[0]); err == nil && dd != nil {
				if dw := pdfNumber(x.deref(dd["DW"])); dw > 0 {
					f.dw = dw
				}
				x.cidWidths(f, dd["W"])
			}
		}
		return f
	}

	// A simple font: one byte per code.
	f.dw = 500
	if fc := pdfNumber(x.deref(d["FirstChar"])); fc >= 0 {
		if ws, err := x.xref.DereferenceArray(d["Widths"]); err == nil {
			for i, w := range ws {
				f.widths[int(fc)+i] = pdfNumber(x.deref(w))
			}
		}
	}
	if fd, err := x.xref.DereferenceDict(d["FontDescriptor"]); err == nil && fd != nil {
		if mw := pdfNumber(x.deref(fd["MissingWidth"])); mw > 0 {
			f.dw = mw
		}
	}
	if subtype == "Type3" {
		if fm, err := x.xref.DereferenceArray(d["FontMatrix"]); err == nil && len(fm) == 6 {
			f.scale = pdfNumber(fm[0]) * 1000
		}
	}
	f.simple = x.simpleEncoding(d["Encoding"])
	return f
}

func (x *textExtractor) deref(o types.Object) types.Object {
	v, err := x.xref.Dereference(o)
	if err != nil {
		return nil
	}
	return v
}

// cidWidths reads a CIDFont's W array: c [w1 w2 …] and cfirst clast w.
func (x *textExtractor) cidWidths(f *pdfFont, o types.Object) {
	w, err := x.xref.DereferenceArray(o)
	if err != nil {
		return
	}
	for i := 0; i+1 < len(w) && len(f.widths) < maxCMapEntries; {
		first := int(pdfNumber(x.deref(w[i])))
		if arr, err := x.xref.DereferenceArray(w[i+1]); err == nil && arr != nil {
			for j, v := range arr {
				f.widths[first+j] = pdfNumber(x.deref(v))
			}
			i += 2
			continue
		}
		if i+2 >= len(w) {
			break
		}
		last, width := int(pdfNumber(x.deref(w[i+1]))), pdfNumber(x.deref(w[i+2]))
		for c := first; c <= last && c-first < 65536 && len(f.widths) < maxCMapEntries; c++ {
			f.widths[c] = width
		}
		i += 3
	}
}

// simpleEncoding builds a simple font's code → rune table from its
// Encoding (a base encoding name and Differences). Codes whose glyph name
// is a producer's private name (g12, cid34, glyph5) are marked -1: unknown
// unless the font's ToUnicode CMap, which is looked up first, maps them.
func (x *textExtractor) simpleEncoding(o types.Object) *[256]rune {
	// MacRoman and Standard agree with WinAnsi on the ASCII letters, digits
	// and signs the scanner needs, so WinAnsi stands for every base encoding.
	t := winAnsi()
	if d, ok := x.deref(o).(types.Dict); ok {
		if diff, err := x.xref.DereferenceArray(d["Differences"]); err == nil {
			code := 0
			for _, v := range diff {
				switch v := x.deref(v).(type) {
				case types.Integer:
					code = int(v)
				case types.Name:
					if code >= 0 && code < 256 {
						t[code] = glyphRune(string(v))
					}
					code++
				}
			}
		}
	}
	return &t
}

// winAnsi returns the WinAnsiEncoding table: Latin-1 with the Windows
// characters in 0x80–0x9F.
func winAnsi() [256]rune {
	var t [256]rune
	for i := range t {
		t[i] = rune(i)
	}
	for i, r := range []rune("€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ") {
		t[0x80+i] = r
	}
	return t
}

// glyphNames maps the glyph names of the Adobe Glyph List that matter for
// reading numbers, addresses and e-mail addresses, and common punctuation.
var glyphNames = map[string]rune{
	"space": ' ', "exclam": '!', "quotedbl": '"', "numbersign": '#', "dollar": '$', "percent": '%',
	"ampersand": '&', "quotesingle": '\'', "quoteright": '’', "quoteleft": '‘', "parenleft": '(', "parenright": ')',
	"asterisk": '*', "plus": '+', "comma": ',', "hyphen": '-', "minus": '−', "period": '.', "slash": '/',
	"zero": '0', "one": '1', "two": '2', "three": '3', "four": '4', "five": '5', "six": '6', "seven": '7',
	"eight": '8', "nine": '9', "colon": ':', "semicolon": ';', "less": '<', "equal": '=', "greater": '>',
	"question": '?', "at": '@', "bracketleft": '[', "backslash": '\\', "bracketright": ']',
	"asciicircum": '^', "underscore": '_', "grave": '`', "braceleft": '{', "bar": '|', "braceright": '}',
	"asciitilde": '~', "bullet": '•', "endash": '–', "emdash": '—', "quotedblleft": '“', "quotedblright": '”',
	"ellipsis": '…', "degree": '°', "copyright": '©', "registered": '®', "trademark": '™', "section": '§',
	"paragraph": '¶', "periodcentered": '·', "multiply": '×', "divide": '÷', "nbspace": ' ', "sfthyphen": '-',
	"fi": 'ﬁ', "fl": 'ﬂ', "dagger": '†', "daggerdbl": '‡', "guillemotleft": '«', "guillemotright": '»',
}

// glyphRune returns the character a glyph name stands for: a name from
// glyphNames, a single letter, uniXXXX or uXXXX[XX]. Other names are
// private to the producer: -1, an unknown character.
func glyphRune(name string) rune {
	if r, ok := glyphNames[name]; ok {
		return r
	}
	if len(name) == 1 && (name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		return rune(name[0])
	}
	if base, _, ok := strings.Cut(name, "."); ok && base != "" { // one.oldstyle, a.sc
		return glyphRune(base)
	}
	for _, p := range []string{"uni", "u"} {
		if h, ok := strings.CutPrefix(name, p); ok && len(h) >= 4 && len(h) <= 6 {
			if v, err := strconv.ParseUint(h[:max(4, min(len(h), 6))], 16, 32); err == nil && v < utf8.MaxRune {
				return rune(v)
			}
		}
	}
	return -1
}

// cmap is a ToUnicode CMap: code space ranges and mappings.
type cmap struct {
	space  []codeRange
	single map[string]string // code bytes → text
	ranges []cmapRange
}

type codeRange struct{ lo, hi []byte }

type cmapRange struct {
	lo, hi []byte
	base   []rune   // bfrange <lo> <hi> <dst>: dst + (code − lo) in its last character
	each   []string // bfrange <lo> <hi> [<d1> <d2> …]
}

// codeLen returns the length of the code at the start of b by the code
// space ranges, or 0 when none matches.
func (m *cmap) codeLen(b []byte) int {
	for n := 1; n <= 4 && n <= len(b); n++ {
		for _, r := range m.space {
			if len(r.lo) == n && inRange(b[:n], r.lo, r.hi) {
				return n
			}
		}
	}
	return 0
}

// inRange reports whether code lies within lo..hi byte by byte, as code
// space ranges are defined (and compared as a whole number for bfrange).
func inRange(code, lo, hi []byte) bool {
	for i := range code {
		if code[i] < lo[i] || code[i] > hi[i] {
			return false
		}
	}
	return true
}

func codeValue(b []byte) int {
	v := 0
	for _, c := range b {
		v = v<<8 | int(c)
	}
	return v
}

// lookup returns the text for a code.
func (m *cmap) lookup(code []byte) (string, bool) {
	if t, ok := m.single[string(code)]; ok {
		return t, true
	}
	c := codeValue(code)
	for _, r := range m.ranges {
		if len(r.lo) != len(code) {
			continue
		}
		lo, hi := codeValue(r.lo), codeValue(r.hi)
		if c < lo || c > hi {
			continue
		}
		if r.each != nil {
			if i := c - lo; i < len(r.each) {
				return r.each[i], true
			}
			return "", false
		}
		if len(r.base) == 0 {
			return "", false
		}
		out := make([]rune, len(r.base))
		copy(out, r.base)
		out[len(out)-1] += rune(c - lo)
		return string(out), true
	}
	return "", false
}

// parseCMap reads the code space ranges, bfchar and bfrange mappings of a
// ToUnicode CMap. Anything it does not understand is skipped.
func parseCMap(b []byte) *cmap {
	m := &cmap{single: map[string]string{}}
	lx := pdfLexer{b: b}
	var ops []any
	entries := 0
	for {
		tok, ok := lx.next()
		if !ok {
			break
		}
		op, isOp := tok.(pdfOp)
		if !isOp {
			if len(ops) < 3*maxCMapEntries {
				ops = append(ops, tok)
			}
			continue
		}
		switch op {
		case "endcodespacerange":
			for i := 0; i+1 < len(ops); i += 2 {
				lo, ok1 := ops[i].(pdfString)
				hi, ok2 := ops[i+1].(pdfString)
				if ok1 && ok2 && len(lo) == len(hi) && len(lo) >= 1 && len(lo) <= 4 {
					m.space = append(m.space, codeRange{lo, hi})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(ops) && entries < maxCMapEntries; i += 2 {
				src, ok1 := ops[i].(pdfString)
				if !ok1 || len(src) == 0 || len(src) > 4 {
					continue
				}
				if t, ok := cmapText(ops[i+1]); ok {
					m.single[string(src)] = t
					entries++
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(ops) && entries < maxCMapEntries; i += 3 {
				lo, ok1 := ops[i].(pdfString)
				hi, ok2 := ops[i+1].(pdfString)
				if !ok1 || !ok2 || len(lo) != len(hi) || len(lo) == 0 || len(lo) > 4 {
					continue
				}
				r := cmapRange{lo: lo, hi: hi}
				switch dst := ops[i+2].(type) {
				case pdfString:
					r.base = []rune(utf16String(dst))
				case []any:
					for _, d := range dst {
						t, _ := cmapText(d)
						r.each = append(r.each, t)
					}
				default:
					continue
				}
				m.ranges = append(m.ranges, r)
				entries++
			}
		}
		ops = ops[:0]
	}
	return m
}

// cmapText returns a bfchar destination as text: UTF-16BE bytes, or a
// glyph name.
func cmapText(o any) (string, bool) {
	switch v := o.(type) {
	case pdfString:
		return utf16String(v), true
	case pdfName:
		if r := glyphRune(string(v)); r >= 0 {
			return string(r), true
		}
	}
	return "", false
}

func utf16String(b []byte) string {
	if len(b)%2 == 1 {
		return string(b) // a one-byte destination: take it as Latin-1
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

// The tokens of content streams and CMaps: float64 numbers, pdfName,
// pdfString (decoded bytes), []any arrays, pdfDict (contents skipped) and
// pdfOp operators.
type (
	pdfName   string
	pdfString []byte
	pdfOp     string
	pdfDict   struct{}
)

// pdfLexer reads tokens from content stream or CMap syntax. It accepts any
// bytes: what is not PDF syntax is skipped.
type pdfLexer struct {
	b     []byte
	i     int
	depth int
}

func isPDFSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isPDFDelim(c byte) bool {
	return strings.IndexByte("()<>[]{}/%", c) >= 0
}

// next returns the next token; ok is false at the end.
func (l *pdfLexer) next() (tok any, ok bool) {
	b := l.b
	for l.i < len(b) {
		c := b[l.i]
		switch {
		case isPDFSpace(c):
			l.i++
		case c == '%':
			for l.i < len(b) && b[l.i] != '\n' && b[l.i] != '\r' {
				l.i++
			}
		case c == '/':
			l.i++
			return pdfName(l.regular(true)), true
		case c == '(':
			return l.literal(), true
		case c == '<' && l.i+1 < len(b) && b[l.i+1] == '<':
			l.i += 2
			l.skipDict()
			return pdfDict{}, true
		case c == '<':
			return l.hex(), true
		case c == '[':
			l.i++
			if l.depth >= 16 {
				continue
			}
			l.depth++
			var arr []any
			for {
				if l.i < len(b) && b[l.i] == ']' {
					l.i++
					break
				}
				t, ok := l.next()
				if !ok {
					break
				}
				if op, isOp := t.(pdfOp); isOp && op == "]" {
					break
				}
				if len(arr) < 1<<16 {
					arr = append(arr, t)
				}
			}
			l.depth--
			return arr, true
		case c == ']':
			l.i++
			if l.depth > 0 {
				return pdfOp("]"), true
			}
		case c == '>' || c == ')' || c == '{' || c == '}':
			l.i++
		default:
			s := l.regular(false)
			if s == "" {
				l.i++
				continue
			}
			if f, err := strconv.ParseFloat(s, 64); err == nil && (s[0] >= '0' && s[0] <= '9' || s[0] == '-' || s[0] == '+' || s[0] == '.') {
				if math.IsInf(f, 0) || math.IsNaN(f) {
					f = 0
				}
				return f, true
			}
			if s == "ID" {
				l.skipInlineImage()
				return pdfOp("EI"), true
			}
			return pdfOp(s), true
		}
	}
	return nil, false
}

// regular reads a run of regular characters; in a name, #xx escapes.
func (l *pdfLexer) regular(name bool) string {
	start := l.i
	var out []byte
	for l.i < len(l.b) && !isPDFSpace(l.b[l.i]) && !isPDFDelim(l.b[l.i]) {
		c := l.b[l.i]
		if name && c == '#' && l.i+2 < len(l.b) {
			if v, err := strconv.ParseUint(string(l.b[l.i+1:l.i+3]), 16, 8); err == nil {
				if out == nil {
					out = append([]byte{}, l.b[start:l.i]...)
				}
				out = append(out, byte(v))
				l.i += 3
				continue
			}
		}
		if out != nil {
			out = append(out, c)
		}
		l.i++
	}
	if out != nil {
		return string(out)
	}
	return string(l.b[start:l.i])
}

// literal reads a (string) with its escapes and balanced parentheses.
func (l *pdfLexer) literal() pdfString {
	b := l.b
	l.i++ // (
	var out []byte
	depth := 1
	for l.i < len(b) {
		c := b[l.i]
		l.i++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out
			}
		case '\\':
			if l.i >= len(b) {
				return out
			}
			e := b[l.i]
			l.i++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.i < len(b) && b[l.i] == '\n' {
					l.i++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.i < len(b) && b[l.i] >= '0' && b[l.i] <= '7'; k++ {
						v = v*8 + int(b[l.i]-'0')
						l.i++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// hex reads a <hex string>; an odd last digit is followed by 0.
func (l *pdfLexer) hex() pdfString {
	l.i++ // <
	var out []byte
	hi, half := byte(0), false
	for l.i < len(l.b) {
		c := l.b[l.i]
		l.i++
		var v byte
		switch {
		case c == '>':
			if half {
				out = append(out, hi<<4)
			}
			return out
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	return out
}

// skipDict skips a << dictionary >>, nested ones included.
func (l *pdfLexer) skipDict() {
	depth := 1
	for l.i < len(l.b) && depth > 0 {
		switch {
		case l.b[l.i] == '(':
			l.literal()
			continue
		case bytes.HasPrefix(l.b[l.i:], []byte("<<")):
			depth++
			l.i += 2
			continue
		case bytes.HasPrefix(l.b[l.i:], []byte(">>")):
			depth--
			l.i += 2
			continue
		}
		l.i++
	}
}

// skipInlineImage skips the data of an inline image after its ID operator,
// to the EI that stands alone between white space.
func (l *pdfLexer) skipInlineImage() {
	b := l.b
	for j := l.i + 1; j+1 < len(b); j++ {
		if b[j] == 'E' && b[j+1] == 'I' && isPDFSpace(b[j-1]) && (j+2 == len(b) || isPDFSpace(b[j+2])) {
			l.i = j + 2
			return
		}
	}
	l.i = len(b)
}

// ScanForReview reads a released file's text for the confidentiality
// review (models.NewReview): a PDF's text layer, none for JPEG and PNG
// (they need the reviewer's attestation), and Unreadable for a PDF that
// cannot be read. a.Content must be loaded.
func ScanForReview(a models.Attachment) models.ScannedFile {
	f := models.ScannedFile{AttachmentID: a.ID, Filename: a.Filename}
	switch models.SniffContentType(a.Content) {
	case models.TypePDF:
		pages, ok, err := ExtractPDFText(bytes.NewReader(a.Content), int64(len(a.Content)))
		if err != nil {
			f.Unreadable = true
			return f
		}
		f.Pages, f.HasTextLayer = pages, ok
	case models.TypeJPEG, models.TypePNG:
		// An image has no text layer: the reviewer reads it.
	default:
		f.Unreadable = true
	}
	return f
}
