package handlers

import (
	"net/http"
	"strings"
	"testing"

	"gongkai/models/store"
	"gongkai/models/store/storetest"
)

// TestAPIUnknownPathsAnswerJSON: a platform that calls a path the API does
// not have, or a method a path does not take, gets a JSON error with a
// stable code and a Chinese message, never the HTML error page; pages keep
// their HTML 404.
func TestAPIUnknownPathsAnswerJSON(t *testing.T) {
	storetest.Each(t, storetest.Options{}, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		app := newCitizenAppOn(t, s, clock, Config{})
		code, out, h := apiCall(t, app.srv.URL+"/api/v1/no-such-thing", "", validSubmission(), nil)
		if code != http.StatusNotFound || errorCode(out) != "not_found" || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("unknown API path: %d %v %s", code, out, h.Get("Content-Type"))
		}
		if msg, _ := out["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "接口不存在") {
			t.Errorf("unknown API path message %q", msg)
		}
		resp, err := http.Get(app.srv.URL + "/api/v1/applications")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("GET on a POST-only API path: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		resp, err = http.Get(app.srv.URL + "/no-such-page")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("unknown page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	})
}
