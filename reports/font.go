package reports

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"unicode"

	"github.com/jung-kurt/gofpdf"
)

// fontTTF is WenQuanYi Micro Hei, font 0 of Debian's wqy-microhei.ttc copied
// out into a plain TTF (Apache-2.0, see fonts/). It is embedded because
// gofpdf only takes glyf-outline TrueType fonts and no such CJK font can be
// assumed on a server; it covers CJK, Latin, digits and CJK punctuation.
//
//go:embed fonts/WenQuanYiMicroHei.ttf
var fontTTF []byte

// fontFamily is the name documents register the embedded font under.
const fontFamily = "wqy"

// CheckFont reports whether gofpdf can load and draw with the embedded font.
// cmd calls it at start-up: gofpdf only prints a font it cannot parse to
// stdout and leaves Err() unset, so without this check a broken font would
// first show as an "undefined font" error on some applicant's letter.
func CheckFont() error {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", fontTTF)
	pdf.AddPage()
	pdf.SetFont(fontFamily, "", 12)
	pdf.CellFormat(0, 8, "政府信息公开申请 2026年2月10日 GKSQ-0123", "", 1, "L", false, 0, "")
	if err := pdf.Output(io.Discard); err != nil {
		return fmt.Errorf("reports: embedded font: %w", err)
	}
	if _, err := coverage(); err != nil {
		return fmt.Errorf("reports: embedded font cmap: %w", err)
	}
	if m := MissingGlyphs("政府信息公开申请0123456789ABCxyz，。《》〔〕“”："); len(m) > 0 {
		return fmt.Errorf("reports: embedded font lacks %q", string(m))
	}
	return nil
}

// MissingGlyphs returns the runes of s, each once and in order of first
// appearance, that the embedded font cannot draw: typically a rare
// character in a person's name. Control characters such as newlines are
// never drawn and so never reported. Callers check user text with it before
// printing, because a letter that shows an empty box in the applicant's name
// is worse than asking staff to resolve the character first.
func MissingGlyphs(s string) []rune {
	// On a parse error cov is nil and every rune is reported: better than
	// claiming coverage we cannot prove. CheckFont surfaces the error.
	cov, _ := coverage()
	var missing []rune
	seen := make(map[rune]bool)
	for _, r := range s {
		if unicode.IsControl(r) || seen[r] {
			continue
		}
		seen[r] = true
		if _, ok := cov[r]; !ok {
			missing = append(missing, r)
		}
	}
	return missing
}

var (
	coverageOnce sync.Once
	coverageSet  map[rune]struct{}
	coverageErr  error
)

// coverage parses the embedded font's cmap once, on first use, so programs
// that never print pay nothing.
func coverage() (map[rune]struct{}, error) {
	coverageOnce.Do(func() {
		coverageSet, coverageErr = parseCmap(fontTTF)
	})
	return coverageSet, coverageErr
}

var errShortFont = errors.New("font data truncated")

// sfnt reads big-endian integers from font data with bounds checks, so a
// damaged font is an error rather than a panic.
type sfnt []byte

func (b sfnt) u16(off int) (int, error) {
	if off < 0 || off+2 > len(b) {
		return 0, errShortFont
	}
	return int(binary.BigEndian.Uint16(b[off:])), nil
}

func (b sfnt) u32(off int) (int, error) {
	if off < 0 || off+4 > len(b) {
		return 0, errShortFont
	}
	return int(binary.BigEndian.Uint32(b[off:])), nil
}

// parseCmap returns the set of runes that map to a real glyph (not glyph 0,
// .notdef) in the font's Unicode cmap. It reads format 12 (full Unicode)
// when present and otherwise format 4 (BMP only), which between them cover
// TrueType CJK fonts. Runes above U+FFFF are left out even when mapped:
// gofpdf keeps glyph widths for the BMP only and panics on anything beyond.
func parseCmap(font []byte) (map[rune]struct{}, error) {
	subtables, err := cmapSubtables(sfnt(font))
	if err != nil {
		return nil, err
	}
	if off, ok := subtables[12]; ok {
		return readFormat12(sfnt(font), off)
	}
	if off, ok := subtables[4]; ok {
		return readFormat4(sfnt(font), off)
	}
	return nil, errors.New("font has no Unicode cmap subtable of format 4 or 12")
}

// cmapSubtables returns the offsets of the font's Unicode cmap subtables by
// format.
func cmapSubtables(b sfnt) (map[int]int, error) {
	numTables, err := b.u16(4)
	if err != nil {
		return nil, err
	}
	cmap := -1
	for i := range numTables {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, errShortFont
		}
		if string(b[rec:rec+4]) == "cmap" {
			cmap, _ = b.u32(rec + 8)
			break
		}
	}
	if cmap < 0 {
		return nil, errors.New("font has no cmap table")
	}
	n, err := b.u16(cmap + 2)
	if err != nil {
		return nil, err
	}
	found := make(map[int]int)
	for i := range n {
		rec := cmap + 4 + 8*i
		platform, _ := b.u16(rec)
		encoding, _ := b.u16(rec + 2)
		off, err := b.u32(rec + 4)
		if err != nil {
			return nil, err
		}
		format, err := b.u16(cmap + off)
		if err != nil {
			return nil, err
		}
		if platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10)) {
			found[format] = cmap + off
		}
	}
	return found, nil
}

// readFormat12 reads a segmented-coverage subtable: groups of consecutive
// characters mapped to consecutive glyphs.
func readFormat12(b sfnt, off int) (map[rune]struct{}, error) {
	groups, err := b.u32(off + 12)
	if err != nil {
		return nil, err
	}
	set := make(map[rune]struct{})
	for g := range groups {
		p := off + 16 + 12*g
		start, _ := b.u32(p)
		end, _ := b.u32(p + 4)
		gid, err := b.u32(p + 8)
		if err != nil {
			return nil, err
		}
		for c := start; c <= end && c <= 0xFFFF; c++ {
			if gid+c-start != 0 {
				set[rune(c)] = struct{}{}
			}
		}
	}
	return set, nil
}

// readFormat4 reads a segment-mapping-to-delta subtable, the BMP format
// every TrueType font has.
func readFormat4(b sfnt, off int) (map[rune]struct{}, error) {
	segX2, err := b.u16(off + 6)
	if err != nil {
		return nil, err
	}
	ends := off + 14
	starts := ends + segX2 + 2 // skip reservedPad
	deltas := starts + segX2
	rangeOffs := deltas + segX2
	set := make(map[rune]struct{})
	for s := 0; s < segX2; s += 2 {
		end, _ := b.u16(ends + s)
		start, _ := b.u16(starts + s)
		delta, _ := b.u16(deltas + s)
		ro, err := b.u16(rangeOffs + s)
		if err != nil {
			return nil, err
		}
		for c := start; c <= end && c != 0xFFFF; c++ {
			gid := (c + delta) & 0xFFFF
			if ro != 0 {
				// idRangeOffset counts bytes from its own slot into
				// glyphIdArray, which follows the idRangeOffset array.
				if gid, err = b.u16(rangeOffs + s + ro + 2*(c-start)); err != nil {
					return nil, err
				}
				if gid != 0 {
					gid = (gid + delta) & 0xFFFF
				}
			}
			if gid != 0 {
				set[rune(c)] = struct{}{}
			}
		}
	}
	return set, nil
}
