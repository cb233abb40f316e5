package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// CheckContentType rejects a response whose Content-Type does not contain
// one of want (case-insensitive). An empty Content-Type (an imported file)
// passes.
func CheckContentType(r *Response, want ...string) error {
	ct := strings.ToLower(r.ContentType)
	if ct == "" {
		return nil
	}
	for _, w := range want {
		if strings.Contains(ct, w) {
			return nil
		}
	}
	return Invalid(r.Request.URL, "content type %q, want %s", r.ContentType, strings.Join(want, " or "))
}

var titleRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`) })

// errorPageMarkers are phrases of the error, block and captcha pages the
// providers (and CDNs in front of them) serve, sometimes with status 200.
var errorPageMarkers = []string{
	"page not found", "404 not found", "too many requests", "rate limit", "access denied",
	"service unavailable", "bad gateway", "gateway timeout", "internal server error",
	"are you a robot", "captcha", "request blocked", "error 50", "temporarily unavailable",
}

// ErrorPage returns a description when body looks like an HTML error page
// (by its <title>), else "".
func ErrorPage(body []byte) string {
	head := body
	if len(head) > 4096 {
		head = head[:4096]
	}
	m := titleRe().FindSubmatch(head)
	if m == nil {
		return ""
	}
	t := strings.ToLower(strings.TrimSpace(string(m[1])))
	for _, k := range errorPageMarkers {
		if strings.Contains(t, k) {
			return fmt.Sprintf("error page %q", strings.TrimSpace(string(m[1])))
		}
	}
	return ""
}

// DecodeJSON checks that the body is one complete JSON object (a truncated
// body does not parse) and decodes it into v. HTML served in place of JSON
// is reported as such.
func DecodeJSON(r *Response, v any) error {
	body := bytes.TrimSpace(r.Body)
	if len(body) == 0 {
		return Invalid(r.Request.URL, "empty body")
	}
	if body[0] != '{' {
		if body[0] == '<' {
			if e := ErrorPage(body); e != "" {
				return Invalid(r.Request.URL, "HTML %s instead of JSON", e)
			}
			return Invalid(r.Request.URL, "HTML instead of JSON")
		}
		return Invalid(r.Request.URL, "body is not a JSON object (starts with %q)", body[:1])
	}
	if err := json.Unmarshal(body, v); err != nil {
		return Invalid(r.Request.URL, "JSON does not parse (truncated?): %v", err)
	}
	return nil
}

// CheckHTML checks an HTML page: content type, not an error page, the table
// with id tableID present and closed, and a complete document when the body
// is a whole page (starts with <!DOCTYPE or <html>).
func CheckHTML(r *Response, tableID string) error {
	if err := CheckContentType(r, "html"); err != nil {
		return err
	}
	body := r.Body
	if len(bytes.TrimSpace(body)) == 0 {
		return Invalid(r.Request.URL, "empty body")
	}
	if e := ErrorPage(body); e != "" {
		return Invalid(r.Request.URL, "%s", e)
	}
	i := bytes.Index(body, []byte(`id="`+tableID+`"`))
	if i < 0 {
		return Invalid(r.Request.URL, "no table id=%q in the page", tableID)
	}
	if !bytes.Contains(body[i:], []byte("</table>")) {
		return Invalid(r.Request.URL, "table id=%q is not closed (truncated?)", tableID)
	}
	// Truncation: a cut page leaves elements open. Every page the providers
	// serve (and every recorded one) closes each <div> and <table>.
	if o, c := countOpen(body, "div"), bytes.Count(body, []byte("</div>")); o != c {
		return Invalid(r.Request.URL, "%d <div> for %d </div> (truncated?)", o, c)
	}
	if o, c := countOpen(body, "table"), bytes.Count(body, []byte("</table>")); o != c {
		return Invalid(r.Request.URL, "%d <table> for %d </table> (truncated?)", o, c)
	}
	trimmed := bytes.TrimSpace(body)
	head := bytes.ToLower(trimmed[:min(len(trimmed), 16)])
	tail := bytes.ToLower(trimmed[max(0, len(trimmed)-16):])
	if (bytes.HasPrefix(head, []byte("<!doctype")) || bytes.HasPrefix(head, []byte("<html"))) &&
		!bytes.HasSuffix(tail, []byte("</html>")) {
		return Invalid(r.Request.URL, "page does not end with </html> (truncated?)")
	}
	return nil
}

// JoinURL resolves ref (a path with an optional query) against base,
// keeping base's path as a prefix.
func JoinURL(base, ref string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("source: base URL %q: %w", base, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("source: base URL %q: want scheme://host/path", base)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u.String() + strings.TrimPrefix(ref, "/"), nil
}

// countOpen counts opening tags <tag> and <tag ...>.
func countOpen(body []byte, tag string) int {
	n := 0
	pat := []byte("<" + tag)
	for i := 0; ; {
		j := bytes.Index(body[i:], pat)
		if j < 0 {
			return n
		}
		k := i + j + len(pat)
		if k < len(body) && (body[k] == '>' || body[k] == ' ' || body[k] == '\n' || body[k] == '\t' || body[k] == '\r') {
			n++
		}
		i = k
	}
}
