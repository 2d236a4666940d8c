package handlers

import (
	"github.com/gin-gonic/gin"

	"gongkai/models"
)

// FormState is what a re-rendered form needs besides the values typed:
// the message next to each field and the error summary at the top, which
// links to the fields in form order.
type FormState struct {
	Errors  map[string]string   // field name → message
	Summary []models.FieldError // in the order the fields appear
}

// formState extracts the field messages of an EINVALID error. order lists
// the form's fields top to bottom, so the summary follows the page; fields
// not in order come last. An error without field messages becomes one
// summary line with its message.
func formState(err error, order ...string) FormState {
	fe := models.FieldErrors(err)
	if len(fe) == 0 {
		if err == nil {
			return FormState{}
		}
		return FormState{Summary: []models.FieldError{{Field: "form", Message: models.ErrorMessage(err)}}}
	}
	st := FormState{Errors: fe}
	seen := map[string]bool{}
	for _, f := range order {
		if msg, ok := fe[f]; ok && !seen[f] {
			st.Summary = append(st.Summary, models.FieldError{Field: f, Message: msg})
			seen[f] = true
		}
	}
	var e *models.Error
	if asError(err, &e) {
		for _, f := range e.Fields {
			if !seen[f.Field] {
				st.Summary = append(st.Summary, f)
				seen[f.Field] = true
			}
		}
	}
	return st
}

// HasErrors reports whether the form needs correcting.
func (f FormState) HasErrors() bool { return len(f.Summary) > 0 }

// formValue returns a trimmed form field.
func formValue(c *gin.Context, name string) string { return trimSpace(c.PostForm(name)) }
