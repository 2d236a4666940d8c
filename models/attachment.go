package models

import "time"

// AttachmentKind says what a stored file is for.
type AttachmentKind string

// Attachment kinds. Stored values; do not change.
const (
	AttachIdentityProof   AttachmentKind = "identity_proof"    // 身份证明
	AttachSupporting      AttachmentKind = "supporting"        // 其他材料
	AttachPowerOfAttorney AttachmentKind = "power_of_attorney" // 授权委托书
	AttachScan            AttachmentKind = "scan"              // scan of a paper application
	AttachCorrection      AttachmentKind = "correction"        // files sent with a correction (补正)
	AttachReleased        AttachmentKind = "released"          // information released to the applicant
	AttachRedacted        AttachmentKind = "redacted"          // a redacted replacement of a released file
	AttachNotice          AttachmentKind = "notice"            // a rendered notice or letter (PDF)
)

// Attachment is a stored file. Content is held in clear only in memory; the
// store encrypts it.
type Attachment struct {
	ID            int64
	AgencyID      int64
	ApplicationID int64
	Kind          AttachmentKind
	Filename      string
	ContentType   string
	Size          int64
	SHA256        string // hex, of the clear content
	Content       []byte // nil when only metadata was loaded
	UploaderKind  ActorKind
	UploaderID    int64
	CreatedAt     time.Time
}
