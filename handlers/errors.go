package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"gongkai/models"
)

// handlerFunc is the shape of every page handler: it returns an error
// instead of writing one.
type handlerFunc func(c *gin.Context) error

// wrap adapts a handlerFunc to Gin: a returned error becomes an error page.
func (h *Handler) wrap(fn handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			h.serveError(c, err)
		}
	}
}

var errMethodNotAllowed = errors.New("method not allowed")

// errNotFound answers with the 404 page.
var errNotFound = models.Errorf(models.ENOTFOUND, "")

// statusFor maps an error code to an HTTP status.
var statusFor = map[models.Code]int{
	models.EINVALID:      http.StatusUnprocessableEntity,
	models.ENOTFOUND:     http.StatusNotFound,
	models.ECONFLICT:     http.StatusConflict,
	models.EFORBIDDEN:    http.StatusForbidden,
	models.EUNAUTHORIZED: http.StatusUnauthorized,
	models.ETOOMANY:      http.StatusTooManyRequests,
	models.EUNAVAILABLE:  http.StatusServiceUnavailable,
	models.EINTERNAL:     http.StatusInternalServerError,
}

// errorText is the heading and default message of each error page.
var errorText = map[int][2]string{
	http.StatusBadRequest:            {"请求有误", "您的请求无法识别，请返回上一页重新操作。"},
	http.StatusUnauthorized:          {"请先登录", "该页面需要登录后访问。"},
	http.StatusForbidden:             {"无权访问", "您没有权限访问该页面或执行该操作。"},
	http.StatusNotFound:              {"页面不存在", "您访问的页面不存在或已被移除，请检查网址是否正确。"},
	http.StatusMethodNotAllowed:      {"请求方式不被允许", "该页面不支持这种访问方式，请返回上一页重新操作。"},
	http.StatusConflict:              {"操作冲突", "该内容已被其他人更新，请刷新页面后重试。"},
	http.StatusRequestEntityTooLarge: {"提交的内容过大", "提交的内容超过了允许的大小，请减小附件后重试。"},
	http.StatusUnprocessableEntity:   {"提交的内容有误", "提交的内容有误，请返回修改后重试。"},
	http.StatusTooManyRequests:       {"操作过于频繁", "您的操作过于频繁，请稍后再试。"},
	http.StatusInternalServerError:   {"系统暂时出现问题", "系统暂时无法完成您的请求，请稍后再试。如问题持续存在，请联系本机关政府信息公开工作机构。"},
	http.StatusServiceUnavailable:    {"服务暂不可用", "服务暂时不可用，请稍后再试。"},
}

// serveError logs internal errors and renders the error page. Only
// internal errors are logged with detail; the page shows the error's
// citizen-safe message.
func (h *Handler) serveError(c *gin.Context, err error) {
	status := http.StatusInternalServerError
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, errMethodNotAllowed):
		status = http.StatusMethodNotAllowed
	case errors.As(err, &mbe):
		status = http.StatusRequestEntityTooLarge
	default:
		if s, ok := statusFor[models.ErrorCode(err)]; ok {
			status = s
		}
	}
	msg := ""
	if status < 500 || status == http.StatusServiceUnavailable {
		msg = models.ErrorMessage(err)
	}
	if status >= 500 {
		h.log.Error("request failed", "request_id", requestID(c), "route", c.FullPath(), "err", err)
	}
	h.renderError(c, status, msg)
}

// ErrorPage is the data of the error page.
type ErrorPage struct {
	BasePage
	Heading string
	Message string
}

// renderError writes the Chinese error page for status, with msg or the
// status's default message. If even that fails, a plain text answer.
func (h *Handler) renderError(c *gin.Context, status int, msg string) {
	text, ok := errorText[status]
	if !ok {
		text = errorText[http.StatusInternalServerError]
	}
	if msg == "" {
		msg = text[1]
	}
	page := ErrorPage{BasePage: h.basePage(c, ""), Heading: text[0], Message: msg}
	if err := h.renderPage(c, status, "errors/show", page); err != nil {
		h.log.Error("render error page", "request_id", requestID(c), "err", err)
		c.Data(status, "text/plain; charset=utf-8", []byte(text[0]+"："+msg))
	}
	c.Abort()
}
