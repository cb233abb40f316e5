package sim

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// canvas draws the same chart as SVG text and as a PNG raster (standard
// library only, like the reconcile heat map).
type canvas struct {
	w, h int
	svg  bytes.Buffer
	img  *image.RGBA
}

func newCanvas(w, h int) *canvas {
	c := &canvas{w: w, h: h, img: image.NewRGBA(image.Rect(0, 0, w, h))}
	draw.Draw(c.img, c.img.Bounds(), &image.Uniform{color.White}, image.Point{}, draw.Src)
	fmt.Fprintf(&c.svg, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", w, h, w, h)
	fmt.Fprintf(&c.svg, `<rect width="%d" height="%d" fill="white"/>`+"\n", w, h)
	return c
}

func hexColor(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

func (c *canvas) line(x0, y0, x1, y1 float64, col color.RGBA, width float64, dash bool) {
	d := ""
	if dash {
		d = ` stroke-dasharray="4 3"`
	}
	fmt.Fprintf(&c.svg, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%.1f"%s/>`+"\n", x0, y0, x1, y1, hexColor(col), width, d)
	steps := int(math.Max(math.Abs(x1-x0), math.Abs(y1-y0))) + 1
	for i := 0; i <= steps; i++ {
		if dash && (i/4)%2 == 1 {
			continue
		}
		t := float64(i) / float64(steps)
		x, y := x0+(x1-x0)*t, y0+(y1-y0)*t
		for dx := -width / 2; dx <= width/2; dx += 1 {
			c.img.Set(int(x+dx), int(y), col)
			c.img.Set(int(x), int(y+dx), col)
		}
	}
}

func (c *canvas) polyline(xs, ys []float64, col color.RGBA, width float64) {
	if len(xs) == 0 {
		return
	}
	c.svg.WriteString(`<polyline fill="none" stroke="` + hexColor(col) + `" stroke-width="` + strconv.FormatFloat(width, 'f', 1, 64) + `" points="`)
	for i := range xs {
		fmt.Fprintf(&c.svg, "%.1f,%.1f ", xs[i], ys[i])
	}
	c.svg.WriteString(`"/>` + "\n")
	for i := 1; i < len(xs); i++ {
		c.line0(xs[i-1], ys[i-1], xs[i], ys[i], col, width)
	}
}

// line0 rasterizes only (the SVG already has the polyline).
func (c *canvas) line0(x0, y0, x1, y1 float64, col color.RGBA, width float64) {
	steps := int(math.Max(math.Abs(x1-x0), math.Abs(y1-y0))) + 1
	for i := 0; i <= steps; i++ {
		t := float64(i) / float64(steps)
		x, y := x0+(x1-x0)*t, y0+(y1-y0)*t
		for dx := -width / 2; dx <= width/2; dx += 1 {
			c.img.Set(int(x+dx), int(y), col)
			c.img.Set(int(x), int(y+dx), col)
		}
	}
}

func (c *canvas) dot(x, y, r float64, col color.RGBA) {
	fmt.Fprintf(&c.svg, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"/>`+"\n", x, y, r, hexColor(col))
	for dx := -r; dx <= r; dx++ {
		for dy := -r; dy <= r; dy++ {
			if dx*dx+dy*dy <= r*r {
				c.img.Set(int(x+dx), int(y+dy), col)
			}
		}
	}
}

// text goes to the SVG only (the PNG carries the marks, not the labels).
func (c *canvas) text(x, y float64, anchor, s string) {
	fmt.Fprintf(&c.svg, `<text x="%.1f" y="%.1f" text-anchor="%s">%s</text>`+"\n", x, y, anchor, xmlEscape(s))
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (c *canvas) finish() (svg, pngBytes []byte, err error) {
	c.svg.WriteString("</svg>\n")
	var pb bytes.Buffer
	if err := png.Encode(&pb, c.img); err != nil {
		return nil, nil, err
	}
	return c.svg.Bytes(), pb.Bytes(), nil
}

var (
	colAxis  = color.RGBA{0x55, 0x55, 0x55, 0xff}
	colGrid  = color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	colHome  = color.RGBA{0x1f, 0x77, 0xb4, 0xff}
	colOther = color.RGBA{0xd6, 0x27, 0x28, 0xff}
)

// WinProbChart draws a game's home win probability over game time with a
// mark at every period boundary, as SVG and PNG.
func WinProbChart(wp *WinProb) (svg, pngBytes []byte, err error) {
	const W, H, L, R, T, B = 900, 360, 50, 20, 30, 40
	c := newCanvas(W, H)
	end := 2880.0
	for _, p := range wp.Points {
		end = math.Max(end, p.Elapsed)
	}
	periods := 4
	for _, p := range wp.Points {
		periods = max(periods, p.Period)
	}
	end = math.Max(end, float64(2880+300*(periods-4)))
	x := func(t float64) float64 { return L + (W-L-R)*t/end }
	y := func(p float64) float64 { return T + (H-T-B)*(1-p) }
	for _, g := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.line(x(0), y(g), x(end), y(g), colGrid, 1, false)
		c.text(L-6, y(g)+4, "end", fmt.Sprintf("%.0f%%", 100*g))
	}
	for p := 1; p <= periods+1; p++ {
		t := float64(pbpPeriodStart(p))
		c.line(x(t), y(0), x(t), y(1), colAxis, 1, p > 1 && p <= periods)
		if p <= periods {
			name := fmt.Sprintf("Q%d", p)
			if p > 4 {
				name = fmt.Sprintf("OT%d", p-4)
			}
			c.text(x(t)+4, H-B+14, "start", name)
		}
	}
	xs, ys := []float64{x(0)}, []float64{y(wp.Pregame)}
	for _, p := range wp.Points {
		xs = append(xs, x(p.Elapsed))
		ys = append(ys, y(p.HomeWin))
	}
	c.polyline(xs, ys, colHome, 2)
	c.text(L, 18, "start", fmt.Sprintf("%s %s at %s: %s win probability (final %d-%d)", wp.GameID, wp.Away.Code, wp.Home.Code, wp.Home.Code, wp.Final[0], wp.Final[1]))
	return c.finish()
}

func pbpPeriodStart(p int) int {
	if p <= 5 {
		return (p - 1) * 720
	}
	return 4*720 + (p-5)*300
}

// CalibrationChart draws predicted vs observed home win rates.
func CalibrationChart(title string, cals map[string]Calibration) (svg, pngBytes []byte, err error) {
	const S, M = 420, 50
	c := newCanvas(S+M, S+M)
	x := func(p float64) float64 { return M + (S-20)*p }
	y := func(p float64) float64 { return 20 + (S-20)*(1-p) }
	for _, g := range []float64{0, 0.2, 0.4, 0.6, 0.8, 1} {
		c.line(x(g), y(0), x(g), y(1), colGrid, 1, false)
		c.line(x(0), y(g), x(1), y(g), colGrid, 1, false)
		c.text(x(g), y(0)+14, "middle", fmt.Sprintf("%.1f", g))
		c.text(x(0)-6, y(g)+4, "end", fmt.Sprintf("%.1f", g))
	}
	c.line(x(0), y(0), x(1), y(1), colAxis, 1, true)
	cols := map[string]color.RGBA{"pregame": colHome, "in_game": colOther}
	for _, k := range []string{"pregame", "in_game"} {
		cal, ok := cals[k]
		if !ok {
			continue
		}
		var xs, ys []float64
		for _, b := range cal {
			if b.N == 0 {
				continue
			}
			xs = append(xs, x(b.Predicted))
			ys = append(ys, y(b.Observed))
			c.dot(x(b.Predicted), y(b.Observed), 3, cols[k])
		}
		c.polyline(xs, ys, cols[k], 1.5)
	}
	c.text(M, 14, "start", title+" (blue: pregame, red: in-game; dashed: perfect)")
	c.text(x(0.5), S+M-6, "middle", "predicted home win probability")
	return c.finish()
}

// WriteBacktestFiles writes report.json and the calibration plots to dir.
func WriteBacktestFiles(dir string, rep *Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("sim: report: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	svg, pngb, err := CalibrationChart("calibration, all seasons", rep.Overall.Calibration)
	if err != nil {
		return fmt.Errorf("sim: calibration plot: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "calibration.svg"), svg, 0o644); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "calibration.png"), pngb, 0o644)
}

// WritePredictionsCSV writes every prediction of a backtest as CSV.
func WritePredictionsCSV(path string, rep *Report) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"game_id", "season", "date", "home", "away", "home_won", "moment", "predictor", "home_win_prob"})
	for _, p := range rep.Predictions {
		for _, pred := range []string{PredSim, PredElo, PredHome, PredLogistic} {
			for i, q := range p.Probs[pred] {
				if math.IsNaN(q) {
					continue
				}
				_ = w.Write([]string{p.GameID, p.Season, p.Date, p.Home, p.Away, strconv.FormatBool(p.HomeWon), Moments[i].Name, pred, strconv.FormatFloat(q, 'f', 4, 64)})
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("sim: %s: %w", path, err)
	}
	return f.Close()
}
