package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"
)

//go:embed assets
var assetFS embed.FS

//go:embed openapi.json
var openAPIDoc []byte

// page names and titles; each page is the shared shell (assets/page.html)
// with its own script (assets/<name>.js). The shell carries no inline
// script or style: the Content-Security-Policy forbids them.
var pages = map[string]string{
	"overview": "Overview",
	"games":    "Games",
	"game":     "Game",
	"players":  "Players",
	"player":   "Player",
	"quality":  "Data quality",
}

// shell is parsed on first use.
var shell = sync.OnceValue(func() *template.Template {
	return template.Must(template.ParseFS(assetFS, "assets/page.html"))
})

func (s *Server) pageRoutes() {
	static, _ := fs.Sub(assetFS, "assets")
	files := http.FileServer(http.FS(static))
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".html") || r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=300")
		files.ServeHTTP(w, r)
	})))
	page := func(pattern, name string) {
		s.mux.HandleFunc("GET "+pattern, func(w http.ResponseWriter, r *http.Request) { s.renderPage(w, r, name) })
	}
	page("/{$}", "overview")
	page("/games", "games")
	page("/games/{game_id}", "game")
	page("/players", "players")
	page("/players/{player_id}", "player")
	page("/quality", "quality")
}

func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, name string) {
	var buf bytes.Buffer
	err := shell().Execute(&buf, map[string]any{"Page": name, "Title": pages[name], "Version": s.version,
		"Param": r.PathValue("game_id") + r.PathValue("player_id"), "Year": time.Now().Year()})
	if err != nil {
		problem(w, r, http.StatusInternalServerError, "page failed", err.Error(), "")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPIDoc)
}
