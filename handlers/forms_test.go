package handlers

import (
	"errors"
	"testing"

	"gongkai/models"
)

func TestFormState(t *testing.T) {
	err := models.Invalid(
		models.FieldError{Field: "phone", Message: "请填写联系电话。"},
		models.FieldError{Field: "name", Message: "请填写姓名。"},
		models.FieldError{Field: "extra", Message: "其他问题。"},
	)
	st := formState(err, "name", "phone")
	if !st.HasErrors() || st.Errors["phone"] != "请填写联系电话。" {
		t.Fatalf("state = %+v", st)
	}
	var got []string
	for _, f := range st.Summary {
		got = append(got, f.Field)
	}
	if want := []string{"name", "phone", "extra"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("summary order = %v, want %v", got, want)
	}
	if st := formState(nil); st.HasErrors() {
		t.Errorf("nil error has errors: %+v", st)
	}
	plain := formState(models.Errorf(models.ECONFLICT, "已被他人更新。"))
	if len(plain.Summary) != 1 || plain.Summary[0].Message != "已被他人更新。" {
		t.Errorf("plain error summary = %+v", plain.Summary)
	}
	internal := formState(errors.New("disk on fire"))
	if len(internal.Summary) != 1 || internal.Summary[0].Message == "disk on fire" {
		t.Errorf("internal error leaks: %+v", internal.Summary)
	}
}

func TestTrimSpace(t *testing.T) {
	for in, want := range map[string]string{"  张三 ": "张三", "\u3000李四\u3000": "李四", "": "", "王 五": "王 五"} {
		if got := trimSpace(in); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", in, got, want)
		}
	}
}
