package models

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func testKeyring(t *testing.T, secrets ...string) *Keyring {
	t.Helper()
	var bs [][]byte
	for _, s := range secrets {
		bs = append(bs, []byte(s))
	}
	k, err := NewKeyring(bs[0], bs[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

const (
	secretA = "audit-test-secret-aaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	secretB = "audit-test-secret-bbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// chain builds n sealed entries and the head after them.
func chain(k *Keyring, n int) ([]AuditEntry, AuditHead) {
	var out []AuditEntry
	prev := ""
	at := time.Date(2026, 2, 10, 1, 30, 0, 123456789, time.UTC)
	for i := 1; i <= n; i++ {
		e := AuditEntry{ID: int64(i), AgencyID: 1, OccurredAt: at.Add(time.Duration(i) * time.Minute), ActorID: 2,
			ActorName: "张三（zhangsan）", ClientIP: "10.0.0.7", Action: AuditUserUpdated, ObjectType: AuditObjectUser,
			ObjectID: "9", Before: `{"a":1}`, After: `{"a":2}`}
		k.SealAudit(prev, &e)
		prev = e.MAC
		out = append(out, e)
	}
	if n == 0 {
		return nil, AuditHead{}
	}
	return out, k.AuditHeadFor(out[n-1].ID, out[n-1].MAC)
}

func verify(k *Keyring, rows []AuditEntry, head AuditHead) AuditReport {
	v := NewAuditVerifier(k, head)
	for _, e := range rows {
		if !v.Add(e) {
			break
		}
	}
	return v.Finish()
}

func TestAuditChainVerifies(t *testing.T) {
	k := testKeyring(t, secretA)
	for _, n := range []int{0, 1, 5} {
		rows, head := chain(k, n)
		if r := verify(k, rows, head); !r.OK() || r.Rows != int64(n) {
			t.Errorf("intact chain of %d: %+v", n, r.Break)
		}
	}
	// Sealing truncates to microseconds, as the databases store it.
	rows, _ := chain(k, 1)
	if rows[0].OccurredAt.Nanosecond()%1000 != 0 {
		t.Errorf("occurred_at not truncated: %v", rows[0].OccurredAt)
	}
}

func TestAuditTamperingIsFound(t *testing.T) {
	k := testKeyring(t, secretA)
	for _, tc := range []struct {
		name    string
		tamper  func(rows []AuditEntry, head AuditHead) ([]AuditEntry, AuditHead)
		problem AuditProblem
		id      int64
	}{
		{"edit a field", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			r[2].After = `{"a":3}`
			return r, h
		}, AuditRowAltered, 3},
		{"edit the actor", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			r[1].ActorName = "李四（lisi）"
			return r, h
		}, AuditRowAltered, 2},
		{"edit the time", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			r[3].OccurredAt = r[3].OccurredAt.Add(time.Microsecond)
			return r, h
		}, AuditRowAltered, 4},
		{"swap two rows' contents", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			r[1], r[2] = r[2], r[1]
			r[1].ID, r[2].ID = 2, 3
			return r, h
		}, AuditChainBroken, 2},
		{"delete a middle row", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			return append(r[:2:2], r[3:]...), h
		}, AuditRowMissing, 4},
		{"delete a middle row and renumber", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			r = append(r[:2:2], r[3:]...)
			for i := range r {
				r[i].ID = int64(i + 1)
			}
			return r, h
		}, AuditChainBroken, 3},
		{"delete the last row", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			return r[:4], h
		}, AuditTailMissing, 5},
		{"delete the last rows and move the head", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			return r[:3], AuditHead{LastID: 3, MAC: r[2].MAC}
		}, AuditHeadMismatch, 3},
		{"delete every row and reset the head", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			return nil, AuditHead{LastID: 0, MAC: "x"}
		}, AuditHeadMismatch, 0},
		{"reset the head", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			return r, AuditHead{}
		}, AuditHeadMismatch, 1},
		{"insert a forged row at the end", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			f := r[4]
			f.ID, f.PrevMAC, f.After = 6, r[4].MAC, `{"forged":true}`
			f.MAC = strings.Repeat("ab", 32)
			return append(r, f), h
		}, AuditRowAltered, 6},
		{"insert a row sealed with another key", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			other := testKeyring(t, secretB)
			f := r[4]
			f.ID = 6
			other.SealAudit(r[4].MAC, &f)
			return append(r, f), other.AuditHeadFor(6, f.MAC)
		}, AuditRowAltered, 6},
		{"insert a row in the middle", func(r []AuditEntry, h AuditHead) ([]AuditEntry, AuditHead) {
			f := r[1]
			f.After = `{"forged":true}`
			out := append([]AuditEntry{}, r[:2]...)
			out = append(out, f)
			out = append(out, r[2:]...)
			for i := range out {
				out[i].ID = int64(i + 1)
			}
			return out, h
		}, AuditChainBroken, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, head := chain(k, 5)
			rows, head = tc.tamper(rows, head)
			r := verify(k, rows, head)
			if r.OK() {
				t.Fatal("tampering not found")
			}
			if r.Break.Problem != tc.problem || r.Break.ID != tc.id {
				t.Errorf("break = %s at %d (%s), want %s at %d", r.Break.Problem, r.Break.ID, r.Break.Message, tc.problem, tc.id)
			}
			if r.Break.Message == "" {
				t.Error("no message")
			}
		})
	}
}

// TestAuditAfterKeyRotation: rows written under an old secret still verify
// when it is kept as an old secret, and new rows continue the chain.
func TestAuditAfterKeyRotation(t *testing.T) {
	old := testKeyring(t, secretA)
	rows, _ := chain(old, 3)
	rotated := testKeyring(t, secretB, secretA)
	e := rows[2]
	e.ID = 4
	rotated.SealAudit(rows[2].MAC, &e)
	rows = append(rows, e)
	if r := verify(rotated, rows, rotated.AuditHeadFor(4, e.MAC)); !r.OK() {
		t.Errorf("rotated chain: %+v", r.Break)
	}
	if r := verify(testKeyring(t, secretB), rows, rotated.AuditHeadFor(4, e.MAC)); r.OK() {
		t.Error("chain verified without the secret that wrote its first rows")
	}
}

func TestCanonicalSeparatesFields(t *testing.T) {
	a := AuditEntry{ID: 1, ActorName: "ab", ClientIP: "c"}
	b := AuditEntry{ID: 1, ActorName: "a", ClientIP: "bc"}
	if a.Canonical() == b.Canonical() {
		t.Error("field boundaries are ambiguous")
	}
}

func TestAuditDataMasksPersonalNumbers(t *testing.T) {
	got := AuditData(map[string]any{
		"comment": "申请人身份证号110101199003074477，手机13812345678，邮箱zhangsan@example.com",
		"phone":   13812345678,
		"list":    []string{"固话024-23456789"},
		"nested":  map[string]any{"z": 1, "a": "卡号6222021234567890128"},
		"plain":   "第3号文件",
	})
	for _, leak := range []string{"110101199003074477", "13812345678", "zhangsan@", "23456789", "6222021234567890128"} {
		if strings.Contains(got, leak) {
			t.Errorf("audit data holds %s: %s", leak, got)
		}
	}
	for _, keep := range []string{"1101**********4477", "138****5678", "z*******@example.com", "第3号文件"} {
		if !strings.Contains(got, keep) {
			t.Errorf("audit data lacks %s: %s", keep, got)
		}
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Errorf("not JSON: %v", err)
	}
	if AuditData(nil) != "" {
		t.Error("nil is not empty")
	}
	// Keys are sorted: the same value always gives the same text.
	if AuditData(map[string]int{"b": 1, "a": 2}) != `{"a":2,"b":1}` {
		t.Errorf("keys not sorted: %s", AuditData(map[string]int{"b": 1, "a": 2}))
	}
}

func TestActorContext(t *testing.T) {
	if a, ok := ActorFromContext(context.Background()); ok || a.Name != SystemActor.Name {
		t.Errorf("empty context gives %+v, %v", a, ok)
	}
	ctx := NewContextWithActor(context.Background(), Actor{UserID: 3, Name: "王五（wangwu）"})
	if a, ok := ActorFromContext(ctx); !ok || a.UserID != 3 {
		t.Errorf("actor = %+v", a)
	}
}

func TestAuditActionLabels(t *testing.T) {
	for _, a := range AuditActions {
		if a.Label() == string(a) {
			t.Errorf("action %s has no label", a)
		}
	}
}

// TestEveryAuditActionHasALabel: the audit page shows each action in
// Chinese, including the actions features keep beside their rules.
func TestEveryAuditActionHasALabel(t *testing.T) {
	seen := map[AuditAction]bool{}
	for _, a := range AllAuditActions() {
		if seen[a] {
			t.Errorf("action %q listed twice", a)
		}
		seen[a] = true
		if l := a.Label(); l == "" || l == string(a) {
			t.Errorf("action %q has no Chinese label", a)
		}
	}
}
