package reports

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"gongkai/models"
)

// Letter is one notice (告知书), receipt (回执) or answer letter (答复书).
// They all share one layout, so every kind of letter is a Letter with
// different content; empty optional parts leave no gap.
type Letter struct {
	// Agency gives the letterhead (Name), the contacts in the footer
	// (office name, address, post code, phone, fax, email, website) and
	// the seal.
	Agency models.Agency
	// Title is centred under the letterhead, e.g. 政府信息公开申请接收回执.
	Title string
	// Number is the letter's number, e.g. 铁民公开〔2026〕第12号; optional.
	Number string
	// Recipient is the salutation line, e.g. "张三："; optional.
	Recipient string
	// Body is drawn in order: paragraphs, numbered lists and tables.
	Body []Block
	// SignOff is the sender above the date (落款), normally Agency.Name.
	SignOff string
	// Date is the date of the letter (成文日期), written 2026年2月10日.
	Date models.Date
	// Seal places Agency.SealImage over the sign-off when one is uploaded.
	Seal bool
	// CreatedAt is written as the PDF's creation and modification date, so
	// the same letter always gives the same bytes. It is written in UTC:
	// gofpdf writes no zone and readers take a date without one as UTC.
	// The zero time means the time of writing.
	CreatedAt time.Time
	// Subject is the PDF's Subject metadata; optional.
	Subject string
}

// Block is one part of a letter's body: a Paragraph, a List or a Table.
// The set is closed so that all layout stays in this package.
type Block interface {
	draw(w *writer, tail float64)
	text() string
}

// Paragraph is body text whose first line is indented by two characters,
// as official documents are. A newline starts a new paragraph.
type Paragraph string

// List is a run of numbered items (1. 2. 3.), such as the items to correct
// in a 补正告知书. Each item is laid out like a Paragraph, which is how
// official documents set their third level of numbering.
type List []string

// Table is a bordered two-column table of labels and values, such as the
// application number, applicant and receipt date on a receipt. Values wrap
// inside their cell; a row is moved whole to the next page unless it is
// taller than a page.
type Table []Field

// Field is one row of a Table.
type Field struct {
	Label string
	Value string
}

// ErrSealImage is returned, wrapped, when a letter asks for the agency's
// seal and the uploaded image is not a usable PNG.
var ErrSealImage = errors.New("seal image is not a usable PNG")

// MissingGlyphsError is returned by WriteLetter when the letter contains
// characters the embedded font cannot draw, usually a rare character in a
// name. Printing an empty box in an official letter is not acceptable, and
// gofpdf panics on characters beyond the BMP, so the letter is refused.
type MissingGlyphsError struct {
	Runes []rune
}

func (e *MissingGlyphsError) Error() string {
	// Code points rather than the characters: they may be part of a name,
	// and errors end up in logs.
	codes := make([]string, len(e.Runes))
	for i, r := range e.Runes {
		codes[i] = fmt.Sprintf("%U", r)
	}
	return "reports: font has no glyph for " + strings.Join(codes, " ")
}

// Page geometry in millimetres. The left margin is wider for binding.
const (
	pageW, pageH    = 210.0, 297.0
	marginTop       = 25.0
	marginLeft      = 25.0
	marginRight     = 20.0
	pageNumberTop   = pageH - 17 // the "第 1 页 / 共 N 页" line
	mmPerPt         = 25.4 / 72
	bodySize        = 14.0 // pt, 四号
	bodyLine        = 7.6  // mm
	tableSize       = 12.0 // pt, 小四
	tableLine       = 6.0
	cellPadX        = 2.0
	cellPadY        = 1.6
	footerSize      = 9.0
	footerLine      = 4.2
	sealWidth       = 40.0 // mm, the usual diameter of an agency seal
	maxSealPixels   = 4000 // per side; bigger uploads are refused
	letterheadSize  = 26.0
	titleSize       = 20.0
	titleLine       = 10.0
	justifyMaxSpace = 0.3 // of a character; wider gaps are left ragged
)

var (
	red   = [3]int{204, 0, 0}
	black = [3]int{0, 0, 0}
	grey  = [3]int{90, 90, 90}
)

// WriteLetter writes l as an A4 PDF to out. It refuses text the font cannot
// draw (*MissingGlyphsError) and a seal that is not a PNG (ErrSealImage)
// before writing anything.
func WriteLetter(out io.Writer, l Letter) error {
	if m := MissingGlyphs(l.text()); len(m) > 0 {
		return &MissingGlyphsError{Runes: m}
	}
	so := signOff{name: l.SignOff, date: l.Date.Chinese()}
	if l.Seal && len(l.Agency.SealImage) > 0 {
		var err error
		if so.seal, so.sealH, err = sealPNG(l.Agency.SealImage); err != nil {
			return fmt.Errorf("reports: %w: %w", ErrSealImage, err)
		}
	}

	w := newWriter(l)
	w.letterhead(l)
	for i, b := range l.Body {
		tail := 0.0
		if i == len(l.Body)-1 {
			tail = so.height()
		}
		b.draw(w, tail)
	}
	so.draw(w)
	w.footers()
	if err := w.pdf.Output(out); err != nil {
		return fmt.Errorf("reports: write letter: %w", err)
	}
	return nil
}

// text returns every string the letter prints, for the glyph check.
func (l Letter) text() string {
	a := l.Agency
	parts := []string{a.Name, a.OfficeName, a.OfficeAddress, a.PostCode, a.Phone, a.Fax, a.Email, a.Website,
		l.Title, l.Number, l.Recipient, l.SignOff, l.Date.Chinese()}
	for _, b := range l.Body {
		parts = append(parts, b.text())
	}
	return strings.Join(parts, "")
}

// writer is a page being laid out: gofpdf plus a cursor. Page breaks are
// made here rather than by gofpdf's automatic breaks, so that table rows and
// the sign-off can be kept whole.
type writer struct {
	pdf         *gofpdf.Fpdf
	left, width float64
	y           float64
	bottom      float64  // lowest y body text may reach
	rule        float64  // y of the rule above the footer contacts
	contacts    []string // footer lines
}

func newWriter(l Letter) *writer {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(0)
	pdf.SetCatalogSort(true) // map order must not change the bytes
	pdf.SetCreationDate(l.CreatedAt.UTC())
	pdf.SetModificationDate(l.CreatedAt.UTC())
	pdf.SetTitle(l.Title, true)
	pdf.SetAuthor(l.Agency.Name, true)
	pdf.SetCreator("gongkai", true)
	if l.Subject != "" {
		pdf.SetSubject(l.Subject, true)
	}
	pdf.AddUTF8FontFromBytes(fontFamily, "", fontTTF)

	w := &writer{pdf: pdf, left: marginLeft, width: pageW - marginLeft - marginRight}
	pdf.SetFont(fontFamily, "", footerSize)
	w.contacts = w.pack(contactParts(l.Agency), "　", w.width)
	// From the foot up: page number, contacts, a rule, 4 mm of space.
	w.rule = pageNumberTop - 2 - float64(len(w.contacts))*footerLine - 1.5
	w.bottom = w.rule - 4
	w.newPage()
	return w
}

func contactParts(a models.Agency) []string {
	var parts []string
	for _, p := range []struct{ label, value string }{
		{"", a.OfficeName}, {"地址：", a.OfficeAddress}, {"邮编：", a.PostCode},
		{"电话：", a.Phone}, {"传真：", a.Fax}, {"电子邮箱：", a.Email}, {"网站：", a.Website},
	} {
		if v := strings.TrimSpace(p.value); v != "" {
			parts = append(parts, p.label+v)
		}
	}
	return parts
}

func (w *writer) newPage() {
	w.pdf.AddPage()
	w.y = marginTop
}

// ensure starts a new page unless h more millimetres fit on this one. A
// block taller than a whole page is not moved: it would not fit anywhere.
func (w *writer) ensure(h float64) {
	if w.y+h > w.bottom && h <= w.bottom-marginTop {
		w.newPage()
	}
}

func (w *writer) font(size float64, c [3]int) {
	w.pdf.SetFont(fontFamily, "", size)
	w.pdf.SetTextColor(c[0], c[1], c[2])
}

// cell writes one line of text in a box of the given width and height,
// aligned "L", "C" or "R" and centred vertically.
func (w *writer) cell(x, y, width, h float64, s, align string) {
	w.pdf.SetXY(x, y)
	w.pdf.CellFormat(width, h, printable(s), "", 0, align, false, 0, "")
}

// justified writes a full line of a paragraph so that it ends exactly at
// the right edge, as official documents are set, by spreading the slack
// over the gaps between characters (PDF character spacing, Tc).
func (w *writer) justified(x, y, width, h float64, s string) {
	n := len([]rune(s))
	size, _ := w.pdf.GetFontSize()
	tc := 0.0
	if n > 1 {
		tc = (width - w.pdf.GetStringWidth(s)) / float64(n-1)
	}
	if tc <= 0 || tc > justifyMaxSpace*size*mmPerPt {
		w.cell(x, y, width, h, s, "L")
		return
	}
	w.pdf.RawWriteStr(fmt.Sprintf("%.4f Tc", tc/mmPerPt))
	w.cell(x, y, width, h, s, "L")
	w.pdf.RawWriteStr("0 Tc")
}

// bold runs draw with text filled and also stroked in c, a heavier face
// for the letterhead and title: the embedded font has no bold.
func (w *writer) bold(c [3]int, draw func()) {
	w.pdf.SetDrawColor(c[0], c[1], c[2])
	w.pdf.SetLineWidth(0.25)
	w.pdf.SetTextRenderingMode(2)
	draw()
	w.pdf.SetTextRenderingMode(0)
}

func (w *writer) letterhead(l Letter) {
	p := w.pdf
	if name := l.Agency.Name; name != "" {
		size := letterheadSize
		w.font(size, red)
		for size > bodySize && p.GetStringWidth(name) > w.width {
			size--
			p.SetFontSize(size)
		}
		w.bold(red, func() { w.cell(w.left, w.y, w.width, 12, name, "C") })
		w.y += 15
		// The red rule under the issuing agency (版头分隔线).
		p.SetDrawColor(red[0], red[1], red[2])
		p.SetLineWidth(0.8)
		p.Line(w.left, w.y, w.left+w.width, w.y)
		w.y += 8
	}
	if l.Title != "" {
		w.font(titleSize, black)
		w.bold(black, func() {
			for _, line := range w.wrap(l.Title, w.width, w.width) {
				w.cell(w.left, w.y, w.width, titleLine, line, "C")
				w.y += titleLine
			}
		})
	}
	w.font(bodySize, black)
	if l.Number != "" {
		w.cell(w.left, w.y, w.width, bodyLine, l.Number, "C")
		w.y += bodyLine
	}
	w.y += bodyLine / 2
	if l.Recipient != "" {
		for _, line := range w.wrap(l.Recipient, w.width, w.width) {
			w.cell(w.left, w.y, w.width, bodyLine, line, "L")
			w.y += bodyLine
		}
	}
}

// footers draws every page's footer once the page count is known. This is
// done last instead of with gofpdf's {nb} alias because the alias is
// replaced after the font is subset: digits of the count that appear
// nowhere else in the letter would print as empty boxes.
func (w *writer) footers() {
	n := w.pdf.PageCount()
	for i := 1; i <= n; i++ {
		w.pdf.SetPage(i)
		w.footer(i, n)
	}
}

func (w *writer) footer(page, pages int) {
	p := w.pdf
	w.font(footerSize, grey)
	if len(w.contacts) > 0 {
		p.SetDrawColor(160, 160, 160)
		p.SetLineWidth(0.2)
		p.Line(w.left, w.rule, w.left+w.width, w.rule)
		y := w.rule + 1.5
		for _, line := range w.contacts {
			w.cell(w.left, y, w.width, footerLine, line, "C")
			y += footerLine
		}
	}
	// Two spaces between words: this font's space is a quarter of a
	// character, too narrow for pdftotext and screen readers to see a word
	// gap next to a Chinese character, and wider looks no worse.
	w.cell(w.left, pageNumberTop, w.width, 5, fmt.Sprintf("第  %d  页  /  共  %d  页", page, pages), "C")
}

func (p Paragraph) text() string { return string(p) }

func (p Paragraph) draw(w *writer, tail float64) {
	w.font(bodySize, black)
	w.paragraphs(string(p), tail)
}

func (l List) text() string { return strings.Join(l, "") }

func (l List) draw(w *writer, tail float64) {
	w.font(bodySize, black)
	for i, item := range l {
		t := 0.0
		if i == len(l)-1 {
			t = tail
		}
		w.paragraphs(fmt.Sprintf("%d.%s", i+1, item), t)
	}
}

// paragraphs lays out s, one paragraph per line of s, at the current font.
// The first line of a paragraph is not left alone at the foot of a page,
// and the last two lines are kept on a page with tail millimetres more
// (the sign-off, when this is the end of the body).
func (w *writer) paragraphs(s string, tail float64) {
	indent := 2 * bodySize * mmPerPt
	paras := strings.Split(s, "\n")
	for len(paras) > 0 && strings.TrimSpace(paras[len(paras)-1]) == "" {
		paras = paras[:len(paras)-1]
	}
	for j, para := range paras {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		lines := w.wrap(para, w.width-indent, w.width)
		for i, line := range lines {
			need := bodyLine
			if i == 0 && len(lines) > 1 {
				need = 2 * bodyLine
			}
			if j == len(paras)-1 && i >= len(lines)-2 {
				need = float64(len(lines)-i)*bodyLine + tail
			}
			w.ensure(need)
			x, width := w.left, w.width
			if i == 0 {
				x, width = x+indent, width-indent
			}
			if i < len(lines)-1 {
				w.justified(x, w.y, width, bodyLine, line)
			} else {
				w.cell(x, w.y, width, bodyLine, line, "L")
			}
			w.y += bodyLine
		}
	}
}

func (t Table) text() string {
	var b strings.Builder
	for _, f := range t {
		b.WriteString(f.Label + f.Value)
	}
	return b.String()
}

func (t Table) draw(w *writer, tail float64) {
	if len(t) == 0 {
		return
	}
	p := w.pdf
	w.font(tableSize, black)
	labelW := 0.0
	for _, f := range t {
		labelW = max(labelW, p.GetStringWidth(f.Label))
	}
	labelW = min(max(labelW+2*cellPadX, 28), w.width*0.4)
	valueW := w.width - labelW
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.2)
	p.SetFillColor(242, 242, 242)
	const gap = bodyLine / 3

	w.y += gap
	for i, f := range t {
		labels := w.wrap(f.Label, labelW-2*cellPadX, labelW-2*cellPadX)
		values := w.wrap(f.Value, valueW-2*cellPadX, valueW-2*cellPadX)
		n := max(len(labels), len(values))
		need := float64(n)*tableLine + 2*cellPadY
		if i == len(t)-1 {
			need += gap + tail
		}
		w.ensure(need)
		// A row taller than the room left (only possible when it is taller
		// than a page) continues on the next page; the label stays with its
		// first part.
		for first := 0; first < n; {
			room := int((w.bottom - w.y - 2*cellPadY) / tableLine)
			if room < 1 {
				w.newPage()
				w.font(tableSize, black)
				continue
			}
			k := min(n-first, room)
			h := float64(k)*tableLine + 2*cellPadY
			p.Rect(w.left, w.y, labelW, h, "FD")
			p.Rect(w.left+labelW, w.y, valueW, h, "D")
			if first == 0 {
				ly := w.y + (h-float64(len(labels))*tableLine)/2
				for _, line := range labels {
					w.cell(w.left+cellPadX, ly, labelW-2*cellPadX, tableLine, line, "C")
					ly += tableLine
				}
			}
			for j := first; j < first+k && j < len(values); j++ {
				w.cell(w.left+labelW+cellPadX, w.y+cellPadY+float64(j-first)*tableLine, valueW-2*cellPadX, tableLine, values[j], "L")
			}
			w.y += h
			first += k
		}
	}
	w.y += gap
}

// signOff is the sender and date at the foot of the letter, with the seal
// pressed over them.
type signOff struct {
	name, date string
	seal       []byte  // normalised PNG; nil for no seal
	sealH      float64 // height in mm when drawn sealWidth wide
}

// layout returns, relative to the end of the body, where the sender's line
// starts (the date is the line below) and the height of the whole
// sign-off. Without a seal the sender follows one empty line; with one, the
// seal starts half a line below the body and the two lines sit just below
// its centre (GB/T 9704: 居印章中心偏下).
func (s signOff) layout() (textTop, height float64) {
	switch {
	case s.name == "" && s.date == "" && s.seal == nil:
		return 0, 0
	case s.seal != nil:
		sealTop := bodyLine / 2
		textTop = sealTop + s.sealH/2 - bodyLine/2
		return textTop, max(sealTop+s.sealH, textTop+2*bodyLine)
	}
	return bodyLine, 3 * bodyLine
}

// height is the room the sign-off needs below the body.
func (s signOff) height() float64 {
	_, h := s.layout()
	return h
}

func (s signOff) draw(w *writer) {
	textTop, h := s.layout()
	if h == 0 {
		return
	}
	w.ensure(h)
	w.font(bodySize, black)
	p := w.pdf
	char := bodySize * mmPerPt
	// The date stands two characters in from the right edge, four when
	// sealed, and the sender is centred over it: close to GB/T 9704 without
	// its separate rules for unsealed letters.
	inset := 2 * char
	if s.seal != nil {
		inset = 4 * char
	}
	right := w.left + w.width - inset
	dateW, nameW := p.GetStringWidth(s.date), p.GetStringWidth(s.name)
	centre := right - dateW/2
	if s.date == "" {
		centre = right - nameW/2
	}
	nameX := max(w.left, min(centre-nameW/2, w.left+w.width-nameW))
	top := w.y + textTop
	if s.name != "" {
		w.cell(nameX, top, nameW, bodyLine, s.name, "L")
	}
	if s.date != "" {
		w.cell(right-dateW, top+bodyLine, dateW, bodyLine, s.date, "L")
	}
	if s.seal != nil {
		opt := gofpdf.ImageOptions{ImageType: "PNG"}
		p.RegisterImageOptionsReader("seal", opt, bytes.NewReader(s.seal))
		// Multiply lets the text show through the red, like ink on paper.
		p.SetAlpha(1, "Multiply")
		p.ImageOptions("seal", centre-sealWidth/2, w.y+bodyLine/2, sealWidth, s.sealH, false, opt, 0, "")
		p.SetAlpha(1, "Normal")
	}
	w.y += h
}

// sealPNG checks an uploaded seal and re-encodes it as 8-bit RGBA without
// interlacing: gofpdf rejects interlaced and 16-bit PNGs that image/png
// reads fine. It returns the PNG and its height when sealWidth wide.
func sealPNG(b []byte) ([]byte, float64, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, 0, err
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxSealPixels || cfg.Height > maxSealPixels {
		return nil, 0, fmt.Errorf("image is %d×%d pixels", cfg.Width, cfg.Height)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, 0, err
	}
	rgba := image.NewNRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, rgba); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), sealWidth * float64(cfg.Height) / float64(cfg.Width), nil
}
