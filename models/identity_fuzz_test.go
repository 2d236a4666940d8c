package models

import (
	"errors"
	"testing"
)

// FuzzValidateResidentID checks that ValidateResidentID never panics, that
// it fails only with an EINVALID *Error, and that an accepted number is
// already normal: it re-validates to itself and passes the checksum.
func FuzzValidateResidentID(f *testing.F) {
	for _, s := range []string{
		"53010219200508011X", "530102192005080119", "11010519491231002X", "440524188001010014",
		"110101199003074477", "11010519491231002x", " 211202 19900307 4473 ", "110105491231002",
		"810000199001011230", "211202199002304476", "１１０１０５１９４９１２３１００２Ｘ", "", "\xff\xfe",
	} {
		f.Add(s)
	}
	today := MustParseDate("2026-05-20")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ValidateResidentID(s, today)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || e.Message == "" {
				t.Fatalf("ValidateResidentID(%q): got error %#v, want an EINVALID *Error with a message", s, err)
			}
			return
		}
		again, err := ValidateResidentID(got, today)
		if err != nil || again != got {
			t.Fatalf("ValidateResidentID(%q) = %q, which re-validates to %q, %v; want itself", s, got, again, err)
		}
		if !ResidentIDChecksumOK(got) {
			t.Fatalf("ValidateResidentID(%q) = %q, which fails ResidentIDChecksumOK", s, got)
		}
	})
}

// FuzzValidateCreditCode checks the same properties for ValidateCreditCode.
func FuzzValidateCreditCode(f *testing.F) {
	for _, s := range []string{
		"91350100M000100Y43", "914403001922038216", "91440300708461136T", "91330100799655058B",
		"91350100m000100y43", "9135 0100 M000 100Y 43", "91350100M000100Y44", "9135O100M000100Y43",
		"M000100Y4", "", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ValidateCreditCode(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || e.Message == "" {
				t.Fatalf("ValidateCreditCode(%q): got error %#v, want an EINVALID *Error with a message", s, err)
			}
			return
		}
		if len(got) != 18 {
			t.Fatalf("ValidateCreditCode(%q) = %q, want 18 bytes", s, got)
		}
		again, err := ValidateCreditCode(got)
		if err != nil || again != got {
			t.Fatalf("ValidateCreditCode(%q) = %q, which re-validates to %q, %v; want itself", s, got, again, err)
		}
	})
}
