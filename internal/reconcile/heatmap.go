package reconcile

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"sort"
)

// heatGrid lays out cells as seasons (rows) × datasets (columns).
type heatGrid struct {
	seasons  []string
	datasets []string
	cells    map[string]*Cell // "dataset|season"
}

func newHeatGrid(cells []*Cell) heatGrid {
	g := heatGrid{cells: map[string]*Cell{}}
	seenS, seenD := map[string]bool{}, map[string]bool{}
	for _, c := range cells {
		if c.Expected == 0 && !c.ScheduleMissing {
			continue // nothing expected: counted-only datasets
		}
		ds := c.Source + "/" + c.Dataset
		if !seenD[ds] {
			seenD[ds] = true
			g.datasets = append(g.datasets, ds)
		}
		if !seenS[c.Season] {
			seenS[c.Season] = true
			g.seasons = append(g.seasons, c.Season)
		}
		g.cells[ds+"|"+c.Season] = c
	}
	sort.Strings(g.seasons)
	return g
}

// heatColor maps completeness to red (0) .. yellow (0.5) .. green (1);
// unknown (no schedule) is grey.
func heatColor(c *Cell) color.RGBA {
	if c == nil {
		return color.RGBA{0xf4, 0xf4, 0xf4, 0xff}
	}
	if c.Expected == 0 {
		return color.RGBA{0xbb, 0xbb, 0xbb, 0xff}
	}
	f := c.Completeness
	if f < 0.5 {
		return color.RGBA{0xd7, uint8(0x30 + f*2*(0xc0-0x30)), 0x27, 0xff}
	}
	return color.RGBA{uint8(0xd7 - (f-0.5)*2*(0xd7-0x1a)), uint8(0xc0 - (f-0.5)*2*(0xc0-0x98)), uint8(0x27 + (f-0.5)*2*(0x50-0x27)), 0xff}
}

// HeatmapSVG renders completeness by season × dataset.
func HeatmapSVG(cells []*Cell, title string) []byte {
	g := newHeatGrid(cells)
	const cw, ch, left, top = 64, 18, 80, 150
	w := left + cw*len(g.datasets) + 20
	h := top + ch*len(g.seasons) + 40
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="8" y="18" font-size="14" font-weight="bold">%s</text>`+"\n", html.EscapeString(title))
	for j, ds := range g.datasets {
		x := left + j*cw + cw/2
		fmt.Fprintf(&b, `<text transform="translate(%d,%d) rotate(-60)">%s</text>`+"\n", x, top-6, html.EscapeString(ds))
	}
	for i, s := range g.seasons {
		y := top + i*ch
		fmt.Fprintf(&b, `<text x="8" y="%d">%s</text>`+"\n", y+13, s)
		for j, ds := range g.datasets {
			c := g.cells[ds+"|"+s]
			col := heatColor(c)
			x := left + j*cw
			label, tip := "", ds+" "+s+": not expected"
			if c != nil {
				if c.Expected == 0 {
					label, tip = "?", ds+" "+s+": no schedule"
				} else {
					label = fmt.Sprintf("%.0f%%", 100*c.Completeness)
					if c.Completeness < 1 && label == "100%" {
						label = "99%"
					}
					tip = fmt.Sprintf("%s %s: %d/%d present, %d missing, %d stale, %d invalid", ds, s, c.Present, c.Expected, c.Missing, c.Stale, c.Invalid)
					if c.Estimated {
						tip += " (estimate)"
						label = "~" + label
					}
				}
			}
			fmt.Fprintf(&b, `<g><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" fill="#%02x%02x%02x" stroke="white"/>`, html.EscapeString(tip), x, y, cw, ch, col.R, col.G, col.B)
			if label != "" {
				fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, x+cw/2, y+13, label)
			}
			b.WriteString("</g>\n")
		}
	}
	fmt.Fprintf(&b, `<text x="8" y="%d" fill="#555">red 0%% .. yellow 50%% .. green 100%%; grey: no schedule; ~ estimate</text>`+"\n", h-12)
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// HeatmapPNG renders the same grid without labels (the standard library has
// no font): one 16×12 block per cell, seasons top to bottom in the SVG's order.
func HeatmapPNG(cells []*Cell) ([]byte, error) {
	g := newHeatGrid(cells)
	const cw, ch = 16, 12
	w, h := max(1, cw*len(g.datasets)), max(1, ch*len(g.seasons))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i, s := range g.seasons {
		for j, ds := range g.datasets {
			col := heatColor(g.cells[ds+"|"+s])
			for y := i*ch + 1; y < (i+1)*ch; y++ {
				for x := j*cw + 1; x < (j+1)*cw; x++ {
					img.SetRGBA(x, y, col)
				}
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
