package models

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Keyring derives gongkai's working keys from the one deployment secret
// (PORTAL_SECRET_KEY) with HKDF-SHA256, one key per purpose, so that a leak
// of one use does not expose the others (个人信息保护法第五十一条: encryption
// and de-identification).
//
// Every key carries a key id derived from its secret. Ciphertexts and
// hashes record the id, so the secret can be rotated: the new secret writes,
// older secrets (PORTAL_SECRET_KEY_OLD) still read.
type Keyring struct {
	current *keySet
	all     map[uint32]*keySet
}

type keySet struct {
	id        uint32
	aead      cipher.AEAD
	match     []byte // applicant matching hash
	queryCode []byte // HMAC of query codes
	session   []byte // session tokens and signed cookies
	audit     []byte // audit-log hash chain
}

// Key purposes, the HKDF info strings. Never change them: stored data
// depends on them.
const (
	purposeKeyID     = "gongkai/v1/key-id"
	purposeEncrypt   = "gongkai/v1/encrypt"
	purposeMatch     = "gongkai/v1/applicant-match"
	purposeQueryCode = "gongkai/v1/query-code"
	purposeSession   = "gongkai/v1/session"
	purposeAudit     = "gongkai/v1/audit"
)

// MinSecretLength is the shortest secret accepted, in bytes.
const MinSecretLength = 32

// NewKeyring derives keys from current (used for all new writes) and from
// any older secrets (used only to read what they wrote).
func NewKeyring(current []byte, old ...[]byte) (*Keyring, error) {
	k := &Keyring{all: make(map[uint32]*keySet)}
	for i, secret := range append([][]byte{current}, old...) {
		ks, err := deriveKeySet(secret)
		if err != nil {
			return nil, fmt.Errorf("new keyring: secret %d: %w", i, err)
		}
		if _, dup := k.all[ks.id]; dup {
			continue
		}
		k.all[ks.id] = ks
		if i == 0 {
			k.current = ks
		}
	}
	return k, nil
}

func deriveKeySet(secret []byte) (*keySet, error) {
	if len(secret) < MinSecretLength {
		return nil, fmt.Errorf("secret is %d bytes, want at least %d", len(secret), MinSecretLength)
	}
	derive := func(purpose string) []byte {
		b, err := hkdf.Key(sha256.New, secret, nil, purpose, 32)
		if err != nil { // only for lengths beyond 255*32 bytes
			panic(err)
		}
		return b
	}
	block, err := aes.NewCipher(derive(purposeEncrypt))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &keySet{
		id:        binary.BigEndian.Uint32(derive(purposeKeyID)),
		aead:      aead,
		match:     derive(purposeMatch),
		queryCode: derive(purposeQueryCode),
		session:   derive(purposeSession),
		audit:     derive(purposeAudit),
	}, nil
}

// KeyID returns the id of the current key, as hex.
func (k *Keyring) KeyID() string { return fmt.Sprintf("%08x", k.current.id) }

// ErrDecrypt means a ciphertext could not be opened: a wrong or retired
// secret, or tampering.
var ErrDecrypt = errors.New("decrypt: no key opens this ciphertext")

// Encrypt seals plaintext with AES-256-GCM under the current key. context
// names where the value lives (e.g. "applicants.phone"); it is bound as
// additional data, so a ciphertext copied into another column does not
// open. The result is keyID(4) || nonce(12) || sealed.
func (k *Keyring) Encrypt(plaintext []byte, context string) []byte {
	ks := k.current
	out := make([]byte, 4+ks.aead.NonceSize(), 4+ks.aead.NonceSize()+len(plaintext)+ks.aead.Overhead())
	binary.BigEndian.PutUint32(out, ks.id)
	if _, err := rand.Read(out[4:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return ks.aead.Seal(out, out[4:], plaintext, []byte(context))
}

// Decrypt opens a value sealed by Encrypt under any key of the ring.
func (k *Keyring) Decrypt(ciphertext []byte, context string) ([]byte, error) {
	if len(ciphertext) < 4+12 {
		return nil, ErrDecrypt
	}
	ks, ok := k.all[binary.BigEndian.Uint32(ciphertext)]
	if !ok {
		return nil, ErrDecrypt
	}
	n := 4 + ks.aead.NonceSize()
	pt, err := ks.aead.Open(nil, ciphertext[4:n], ciphertext[n:], []byte(context))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// EncryptString encrypts s; the empty string stays empty (nil), so optional
// fields cost nothing.
func (k *Keyring) EncryptString(s, context string) []byte {
	if s == "" {
		return nil
	}
	return k.Encrypt([]byte(s), context)
}

// DecryptString reverses EncryptString.
func (k *Keyring) DecryptString(b []byte, context string) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	pt, err := k.Decrypt(b, context)
	return string(pt), err
}

func keyedHash(ks *keySet, key []byte, parts ...string) string {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		// Length-prefix each part so ("ab","c") and ("a","bc") differ.
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(p)))
		m.Write(n[:])
		m.Write([]byte(p))
	}
	return fmt.Sprintf("%08x.%s", ks.id, base64.RawURLEncoding.EncodeToString(m.Sum(nil)))
}

// MatchHash returns the keyed hash that links applications from the same
// applicant without storing the identity in clear: kind (e.g. the document
// type) and the normalised number. It is deterministic for a key.
func (k *Keyring) MatchHash(kind, normalised string) string {
	return keyedHash(k.current, k.current.match, kind, strings.ToUpper(strings.TrimSpace(normalised)))
}

// MatchHashes returns the hash under every key of the ring, for look-ups
// that must also find rows written before a rotation.
func (k *Keyring) MatchHashes(kind, normalised string) []string {
	out := []string{k.MatchHash(kind, normalised)}
	for id, ks := range k.all {
		if id != k.current.id {
			out = append(out, keyedHash(ks, ks.match, kind, strings.ToUpper(strings.TrimSpace(normalised))))
		}
	}
	return out
}

// QueryCodeHash returns the HMAC of an application's query code, bound to
// its number. A keyed hash (not a slow password hash) keeps look-ups fast;
// guessing is stopped by the rate limit instead.
func (k *Keyring) QueryCodeHash(number, code string) string {
	return keyedHash(k.current, k.current.queryCode, strings.ToUpper(number), NormaliseQueryCode(code))
}

// CheckQueryCode reports, in constant time, whether code matches the
// stored hash (under whichever key wrote it).
func (k *Keyring) CheckQueryCode(stored, number, code string) bool {
	id, _, ok := strings.Cut(stored, ".")
	if !ok {
		return false
	}
	for kid, ks := range k.all {
		if fmt.Sprintf("%08x", kid) != id {
			continue
		}
		want := keyedHash(ks, ks.queryCode, strings.ToUpper(number), NormaliseQueryCode(code))
		return subtle.ConstantTimeCompare([]byte(want), []byte(stored)) == 1
	}
	return false
}

// SessionMAC signs data with the session key (signed cookies, token
// hashes). The result is hex.
func (k *Keyring) SessionMAC(data string) string {
	m := hmac.New(sha256.New, k.current.session)
	m.Write([]byte(data))
	return hex.EncodeToString(m.Sum(nil))
}

// CheckSessionMAC verifies a SessionMAC under any key of the ring.
func (k *Keyring) CheckSessionMAC(data, mac string) bool {
	for _, ks := range k.all {
		m := hmac.New(sha256.New, ks.session)
		m.Write([]byte(data))
		if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(m.Sum(nil))), []byte(mac)) == 1 {
			return true
		}
	}
	return false
}

// AuditMAC chains audit-log rows: the MAC of the previous row's MAC and
// this row's canonical text. A keyed MAC means someone who can write to the
// database but does not hold the secret cannot forge a consistent chain.
func (k *Keyring) AuditMAC(prev, row string) string {
	m := hmac.New(sha256.New, k.current.audit)
	m.Write([]byte(prev))
	m.Write([]byte{0})
	m.Write([]byte(row))
	return hex.EncodeToString(m.Sum(nil))
}

// queryCodeAlphabet leaves out characters people confuse (0/O, 1/I/L).
const queryCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// NewQueryCode returns a random query code of 10 characters written as
// XXXXX-XXXXX: about 49 bits, far beyond what the rate limit lets anyone try.
func NewQueryCode() string {
	var sb strings.Builder
	var b [1]byte
	for n := 0; n < 10; {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err)
		}
		// Reject bytes past the last whole multiple of the alphabet size so
		// every character is equally likely.
		if int(b[0]) >= 256-256%len(queryCodeAlphabet) {
			continue
		}
		if n == 5 {
			sb.WriteByte('-')
		}
		sb.WriteByte(queryCodeAlphabet[int(b[0])%len(queryCodeAlphabet)])
		n++
	}
	return sb.String()
}

// NormaliseQueryCode upper-cases a typed code and drops spaces and hyphens.
func NormaliseQueryCode(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r == '-' || r == ' ' || r == '\t' {
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// NewToken returns a random URL-safe token of n bytes (session ids,
// idempotency keys, CSRF tokens).
func NewToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
