package models

import "time"

// JobResult is how a run of a daily job ended.
type JobResult string

// Job results. Stored values; do not change.
const (
	JobRunning   JobResult = "running"
	JobOK        JobResult = "ok"
	JobFailed    JobResult = "failed"
	JobAbandoned JobResult = "abandoned" // the process running it stopped; another took the job over
)

// Label returns the result in Chinese.
func (r JobResult) Label() string {
	switch r {
	case JobRunning:
		return "运行中"
	case JobOK:
		return "完成"
	case JobFailed:
		return "失败"
	case JobAbandoned:
		return "中断"
	}
	return string(r)
}

// JobRun is one run of a daily job (the expiries and clocks of the day,
// later the reminders), as the job_runs table records it.
type JobRun struct {
	ID         int64
	Name       string
	Day        Date   // the day it ran for, in the agency's zone
	Holder     string // which portal process ran it
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
	Result     JobResult
	Summary    string // what it did, in Chinese
	Error      string // why it failed (internal detail, for administrators)
}

// Duration returns how long the run took, 0 while running.
func (r JobRun) Duration() time.Duration {
	if r.FinishedAt.IsZero() {
		return 0
	}
	return r.FinishedAt.Sub(r.StartedAt)
}
