package models

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SectionSuggestion is a section the routing keywords point to, with the
// reason in words staff can check.
type SectionSuggestion struct {
	SectionID int64
	Name      string
	Score     int
	// InTitle and InDescription are the section's keywords found in the
	// requested information's name and in its description.
	InTitle       []string
	InDescription []string
}

// Keyword weights: a keyword in the name of the information says more
// about it than one in a long description.
const (
	titleKeywordWeight       = 3
	descriptionKeywordWeight = 1
)

// Why says in Chinese why the section is suggested.
func (s SectionSuggestion) Why() string {
	var parts []string
	if len(s.InTitle) > 0 {
		parts = append(parts, "信息名称含“"+strings.Join(s.InTitle, "”“")+"”")
	}
	if len(s.InDescription) > 0 {
		parts = append(parts, "描述含“"+strings.Join(s.InDescription, "”“")+"”")
	}
	return strings.Join(parts, "，")
}

// SuggestSections scores the active sections by their routing keywords
// (Section.Keywords) found in an application's title and description:
// each keyword counts once, 3 points when it is in the title and 1 when it
// is only in the description. Letters are compared without case and spaces
// are ignored, so "低 保" still matches 低保. Sections without a match are
// left out; the rest come best first, ties in the sections' own order.
// It only suggests: the office decides (条例第四条 gives routing to the
// disclosure office).
func SuggestSections(sections []*Section, title, description string) []SectionSuggestion {
	t, d := keywordText(title), keywordText(description)
	var out []SectionSuggestion
	order := map[int64]int{}
	for i, sec := range sections {
		if sec == nil || !sec.Active {
			continue
		}
		order[sec.ID] = i
		sg := SectionSuggestion{SectionID: sec.ID, Name: sec.Name}
		seen := map[string]bool{}
		for _, kw := range sec.Keywords {
			k := keywordText(kw)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			switch {
			case strings.Contains(t, k):
				sg.InTitle = append(sg.InTitle, strings.TrimSpace(kw))
				sg.Score += titleKeywordWeight
			case strings.Contains(d, k):
				sg.InDescription = append(sg.InDescription, strings.TrimSpace(kw))
				sg.Score += descriptionKeywordWeight
			}
		}
		if sg.Score > 0 {
			out = append(out, sg)
		}
	}
	slices.SortStableFunc(out, func(a, b SectionSuggestion) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return order[a.SectionID] - order[b.SectionID]
	})
	return out
}

// keywordText folds text for keyword matching: lower case, no white space
// (including the ideographic space), full-width ASCII as half-width.
func keywordText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '\u3000':
			continue
		case r >= '！' && r <= '～':
			r -= 0xFEE0 // full-width ASCII
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Similarity says how alike two requests are, from 0 (nothing shared) to
// 1 (the same): the Jaccard index of their sets of character bigrams (two
// characters in a row), after dropping punctuation, spaces and case. It
// suits Chinese, which has no spaces between words: “2025年低保资金发放情况”
// and “低保资金2025年发放明细” share most of their bigrams. A text of one
// character is its own bigram; two empty texts are not similar (0).
func Similarity(a, b string) float64 {
	x, y := bigrams(a), bigrams(b)
	if len(x) == 0 || len(y) == 0 {
		return 0
	}
	inter := 0
	for g := range x {
		if y[g] {
			inter++
		}
	}
	union := len(x) + len(y) - inter
	return float64(inter) / float64(union)
}

// bigrams returns the set of character bigrams of s's letters and digits.
func bigrams(s string) map[string]bool {
	rs := make([]rune, 0, utf8.RuneCountInString(s))
	for _, r := range keywordText(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, r)
		}
	}
	out := map[string]bool{}
	if len(rs) == 1 {
		out[string(rs)] = true
	}
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

// RequestText is what Similarity compares of an application: the name of
// the information and its description.
func RequestText(app *Application) string { return app.Title + "\n" + app.Description }

// Thresholds for the similar-request hints. They were chosen so that a
// request asked again in other words (same subject, same year) is shown
// and unrelated requests on the same topic are not; they only decide what
// is shown to staff, never an outcome.
const (
	// SimilarRequest: shown as a similar request.
	SimilarRequest = 0.35
	// LikelyRepeat: an earlier application of the same applicant this
	// alike is flagged as a possible repeat (条例第三十六条第（六）项).
	LikelyRepeat = 0.6
)

// RelatedApplication is an earlier or concurrent application shown next to
// the one staff are working on, as a hint for 重复申请 (条例第三十六条第（六）项)
// and for volume or frequency clearly beyond a reasonable range (第三十五条).
type RelatedApplication struct {
	App           *Application
	SameApplicant bool
	Similarity    float64
	// PossibleRepeat: the same applicant, a very similar request, and the
	// earlier one already answered — what 第三十六条第（六）项 describes.
	// A hint: only staff can judge whether the information is the same.
	PossibleRepeat bool
}

// Percent is Similarity as a whole percentage, for display.
func (r RelatedApplication) Percent() int { return int(r.Similarity*100 + 0.5) }

// RelatedApplications picks the hints for app from candidates (other
// applications of the same agency; sameApplicant reports whether one was
// filed by the same applicant, by the matching hash): every application of
// the same applicant, and other applicants' requests at least
// SimilarRequest alike, at most limit of them. Same-applicant ones come
// first, newest first; the others most similar first.
func RelatedApplications(app *Application, candidates []*Application, sameApplicant func(*Application) bool, limit int) []RelatedApplication {
	text := RequestText(app)
	var mine, others []RelatedApplication
	for _, c := range candidates {
		if c == nil || c.ID == app.ID {
			continue
		}
		r := RelatedApplication{App: c, SameApplicant: sameApplicant(c), Similarity: Similarity(text, RequestText(c))}
		switch {
		case r.SameApplicant:
			r.PossibleRepeat = r.Similarity >= LikelyRepeat && (c.Status == StatusAnswered || c.Status == StatusArchived)
			mine = append(mine, r)
		case r.Similarity >= SimilarRequest:
			others = append(others, r)
		}
	}
	slices.SortStableFunc(mine, func(a, b RelatedApplication) int { return b.App.SubmittedAt.Compare(a.App.SubmittedAt) })
	slices.SortStableFunc(others, func(a, b RelatedApplication) int {
		switch {
		case a.Similarity > b.Similarity:
			return -1
		case a.Similarity < b.Similarity:
			return 1
		}
		return b.App.SubmittedAt.Compare(a.App.SubmittedAt)
	})
	if limit > 0 && len(others) > limit {
		others = others[:limit]
	}
	return append(mine, others...)
}
