package handlers

import (
	"crypto/subtle"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models"
	"gongkai/models/store"
)

// postedForm is a form with file uploads, read part by part: text values
// in full (up to maxTextValue each), files up to models.MaxUploadBytes.
// Reading stops at the request's body limit, and what came before is kept:
// text fields precede the file inputs on the page, so an applicant whose
// files were too large together still gets every typed value back.
type postedForm struct {
	values   url.Values
	files    []postedFile
	tooLarge bool // the body limit cut the request short
}

// postedFile is one uploaded file as it arrived.
type postedFile struct {
	field    string
	filename string
	content  []byte
	tooBig   bool // over models.MaxUploadBytes; content is empty
	size     int64
}

const (
	maxTextValue = 64 << 10
	// maxFileParts caps the file parts read from one request.
	maxFileParts = 2 * models.MaxUploadFiles
)

// readPostedForm reads a multipart or URL-encoded form. It returns an
// error only for a malformed request.
func readPostedForm(c *gin.Context) (*postedForm, error) {
	f := &postedForm{values: url.Values{}}
	ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if ct != "multipart/form-data" {
		if err := c.Request.ParseForm(); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				f.tooLarge = true
				return f, nil
			}
			return nil, models.WrapError(models.EINVALID, err, "提交的内容无法识别，请返回表单重新提交。")
		}
		f.values = c.Request.PostForm
		return f, nil
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, models.WrapError(models.EINVALID, err, "提交的内容无法识别，请返回表单重新提交。")
	}
	fileParts := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				f.tooLarge = true
				return f, nil
			}
			return nil, models.WrapError(models.EINVALID, err, "提交的内容无法识别，请返回表单重新提交。")
		}
		name := part.FormName()
		if name == "" {
			part.Close()
			continue
		}
		if part.FileName() == "" {
			b, err := io.ReadAll(io.LimitReader(part, maxTextValue))
			part.Close()
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					f.tooLarge = true
					return f, nil
				}
				return nil, models.WrapError(models.EINVALID, err, "提交的内容无法识别，请返回表单重新提交。")
			}
			f.values.Add(name, string(b))
			continue
		}
		fileParts++
		pf := postedFile{field: name, filename: part.FileName()}
		b, err := io.ReadAll(io.LimitReader(part, models.MaxUploadBytes+1))
		if err == nil && len(b) > models.MaxUploadBytes {
			var n int64
			n, err = io.Copy(io.Discard, part)
			pf.tooBig, pf.size = true, int64(len(b))+n
			b = nil
		}
		part.Close()
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				f.tooLarge = true
				return f, nil
			}
			return nil, models.WrapError(models.EINVALID, err, "文件上传未完成，请重新选择文件后提交。")
		}
		if len(b) == 0 && !pf.tooBig && pf.filename == "" {
			continue
		}
		if fileParts > maxFileParts {
			continue
		}
		pf.content = b
		f.files = append(f.files, pf)
	}
}

// get returns a trimmed value.
func (f *postedForm) get(name string) string { return trimSpace(f.values.Get(name)) }

// raw returns a value as typed (multi-line text keeps its inner layout).
func (f *postedForm) raw(name string) string { return f.values.Get(name) }

// ids returns the numeric values of a repeated field (checked boxes).
func (f *postedForm) ids(name string) []int64 {
	var out []int64
	for _, v := range f.values[name] {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// checked reports whether a checkbox was ticked.
func (f *postedForm) checked(name string) bool {
	v := f.values.Get(name)
	return v == "1" || v == "on" || v == "true"
}

// fieldMessages collects messages per field, joining several for one field
// (two bad files in one input) into one message.
type fieldMessages struct {
	order []string
	msgs  map[string][]string
}

func (m *fieldMessages) add(field, msg string) {
	if m.msgs == nil {
		m.msgs = map[string][]string{}
	}
	if _, ok := m.msgs[field]; !ok {
		m.order = append(m.order, field)
	}
	m.msgs[field] = append(m.msgs[field], msg)
}

// addErr adds the field messages of an EINVALID error, or its message
// under field.
func (m *fieldMessages) addErr(field string, err error) {
	var e *models.Error
	if asError(err, &e) && len(e.Fields) > 0 {
		for _, f := range e.Fields {
			m.add(f.Field, f.Message)
		}
		return
	}
	m.add(field, models.ErrorMessage(err))
}

// merge combines the collected messages with a validation error into one
// EINVALID error, or nil when there is nothing to say. Upload messages come
// first for their field.
func (m *fieldMessages) merge(err error) error {
	var e *models.Error
	if err != nil && !asError(err, &e) {
		return err
	}
	if e != nil && e.Code != models.EINVALID {
		return err
	}
	if e != nil {
		for _, f := range e.Fields {
			m.add(f.Field, f.Message)
		}
	}
	if len(m.order) == 0 {
		return nil
	}
	var fields []models.FieldError
	for _, f := range m.order {
		fields = append(fields, models.FieldError{Field: f, Message: strings.Join(m.msgs[f], " ")})
	}
	return models.Invalid(fields...)
}

// StagedFile is an uploaded file waiting for its form, as the form lists
// it: "已上传：文件名（大小）" with a box to remove it.
type StagedFile struct {
	ID   int64
	Kind string
	Name string
	Size string
}

func stagedFiles(as []*models.Attachment) []StagedFile {
	out := make([]StagedFile, 0, len(as))
	for _, a := range as {
		out = append(out, StagedFile{ID: a.ID, Kind: string(a.Kind), Name: a.Filename, Size: models.FormatSize(a.Size)})
	}
	return out
}

// formToken returns a new one-time form token: 192 random bits with a
// 96-bit MAC, so that only tokens the portal issued are taken. It ties
// staged files to the form and is the submission's idempotency key (at
// most 64 characters: applications.idempotency_key).
func (h *Handler) formToken() string {
	r := models.NewToken(24)
	return r + "." + h.store.Keys().SessionMAC("form-token:" + r)[:formTokenMAC]
}

// formTokenMAC is the length of a form token's MAC, in hex digits.
const formTokenMAC = 24

// checkFormToken returns tok if the portal issued it, else a new token.
func (h *Handler) checkFormToken(tok string) string {
	r, mac, ok := strings.Cut(tok, ".")
	if ok && len(r) == 32 && len(mac) == formTokenMAC {
		full := h.store.Keys().SessionMAC("form-token:" + r)
		if subtle.ConstantTimeCompare([]byte(full[:formTokenMAC]), []byte(mac)) == 1 {
			return tok
		}
	}
	return h.formToken()
}

// uploadLimit is the budget of files one client may upload
// (Config.UploadsPerClientHour, 100 by default): enough for any applicant,
// too little to fill the database.
func (h *Handler) uploadLimit() store.RateLimit {
	return store.RateLimit{Max: h.cfg.UploadsPerClientHour, Window: time.Hour, Lockout: time.Hour}
}

// stageUploads checks each posted file and stages the good ones under the
// form token. Problems become messages for the file's field.
func (h *Handler) stageUploads(c *gin.Context, agencyID int64, token string, files []postedFile,
	kindOf func(field string) (models.AttachmentKind, bool), msgs *fieldMessages) error {
	checked, err := h.checkUploads(c, files, kindOf, msgs)
	if err != nil {
		return err
	}
	return h.stage(c, agencyID, token, checked, msgs)
}

// checkedUpload is a posted file that passed the checks, with its field.
type checkedUpload struct {
	field string
	a     models.Attachment
}

// checkUploads checks each posted file (size, type from content, the
// client's upload budget) without storing it. Problems become messages for
// the file's field.
func (h *Handler) checkUploads(c *gin.Context, files []postedFile, kindOf func(field string) (models.AttachmentKind, bool),
	msgs *fieldMessages) ([]checkedUpload, error) {
	ctx := c.Request.Context()
	bucket := h.store.RateBucket("upload-ip", c.ClientIP())
	var out []checkedUpload
	for _, pf := range files {
		kind, ok := kindOf(pf.field)
		if !ok {
			continue
		}
		field := pf.field
		if pf.tooBig {
			msgs.add(field, "文件“"+models.CleanFilename(pf.filename, "")+"”大小为"+models.FormatSize(pf.size)+"，超过了10MB的限制。请压缩或分成几个文件后再上传。")
			continue
		}
		a, err := models.CheckUpload(kind, pf.filename, pf.content)
		if err != nil {
			msgs.addErr(field, err)
			continue
		}
		if until, err := h.store.RateLimited(ctx, bucket); err != nil {
			return nil, err
		} else if !until.IsZero() {
			msgs.add(field, "上传文件过于频繁，文件“"+a.Filename+"”未能上传。请于"+h.clockTime(until)+"后再试。")
			continue
		}
		if _, err := h.store.RateLimitHit(ctx, bucket, h.uploadLimit()); err != nil {
			return nil, err
		}
		out = append(out, checkedUpload{field, a})
	}
	return out, nil
}

// stage keeps checked files, encrypted, under the form token until the
// form is submitted or they expire.
func (h *Handler) stage(c *gin.Context, agencyID int64, token string, files []checkedUpload, msgs *fieldMessages) error {
	for _, f := range files {
		a := f.a
		if err := h.store.StageUpload(c.Request.Context(), agencyID, token, &a); err != nil {
			if models.ErrorCode(err) != models.EINVALID {
				return err
			}
			msgs.addErr(f.field, err)
		}
	}
	return nil
}
