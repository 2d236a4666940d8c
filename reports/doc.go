// Package reports writes the documents the portal hands out: letters to
// applicants as PDF. Every writer is an encoder over io.Writer that takes
// plain domain values, so handlers only set headers and tests read the
// output back. The CJK font is embedded; nothing is read from disk at run
// time.
package reports
