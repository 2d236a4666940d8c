package handlers

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/models/store"
)

// PrivacyPage is the data of the personal-information notice.
type PrivacyPage struct {
	BasePage
	StagedHours   int
	TrackMinutes  int
	LookupMax     int
	LookupMinutes int
}

// showPrivacy serves GET /privacy: the notice 个人信息保护法第十七条 requires
// (processor and contact, purpose, method, categories, retention, how to
// exercise one's rights), which 第三十五条 applies to state organs too. The
// processor and its contacts come from the agency profile.
func (h *Handler) showPrivacy(c *gin.Context) error {
	return h.renderPage(c, http.StatusOK, "privacy/show", PrivacyPage{
		BasePage:      h.basePage(c, "privacy"),
		StagedHours:   int(store.StagedUploadTTL / time.Hour),
		TrackMinutes:  int(trackIdle / time.Minute),
		LookupMax:     lookupPerNumber.Max,
		LookupMinutes: int(lookupPerNumber.Lockout / time.Minute),
	})
}
