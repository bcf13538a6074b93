// Command previewload measures `edgeconv run`'s preview under hostile load
// (issue 14): it starts the binary on a looping recording paced at 30 fps,
// measures the loop's frame rate and the process's memory with one viewer,
// then opens -idle keep-alive connections that make one request and stay
// idle, and -stalled stream clients that never read, and measures again:
// the frame rate, the memory (VmRSS, VmHWM), the goroutines, the open
// descriptors, and the time a new viewer waits for its first MJPEG frame
// (-viewers times; before each, the attacker opens a few more stalled
// streams so that the stream slots stay full of them).
//
//	make build && go run ./bench/previewload -edgeconv bin/edgeconv
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	exe := flag.String("edgeconv", "bin/edgeconv", "the edgeconv binary")
	scenes := flag.String("scenes", "firmware/testdata", "folder of .png scenes to replay")
	idle := flag.Int("idle", 5000, "idle keep-alive connections")
	stalled := flag.Int("stalled", 100, "stream clients that never read")
	viewers := flag.Int("viewers", 10, "new viewers timed under load")
	measure := flag.Duration("measure", 10*time.Second, "time of each frame-rate measurement")
	flag.Parse()
	log.SetFlags(0)

	dir, err := os.MkdirTemp("", "previewload")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	pngs, _ := filepath.Glob(filepath.Join(*scenes, "*.png"))
	if len(pngs) == 0 {
		log.Fatalf("no .png in %s", *scenes)
	}
	for i, p := range pngs {
		b, err := os.ReadFile(p)
		if err != nil {
			log.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d.png", i)), b, 0o644)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, *exe, "run", "--source", dir+",loop,fps=30", "--listen", "127.0.0.1:0",
		"--pprof", "127.0.0.1:0")
	cmd.Stdout = io.Discard
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	defer cmd.Process.Kill()
	var addr, pprof string
	sc := bufio.NewScanner(stderr)
	re := regexp.MustCompile(`(preview|pprof) on http://([^/]+)/`)
	for (addr == "" || pprof == "") && sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			if m[1] == "preview" {
				addr = m[2]
			} else {
				pprof = m[2]
			}
		}
	}
	go io.Copy(io.Discard, stderr)
	if addr == "" {
		log.Fatal("edgeconv run printed no preview address")
	}
	pid := cmd.Process.Pid

	// One viewer, as a person watching: the preview encodes while watched.
	vctx, vcancel := context.WithCancel(ctx)
	go func() {
		for vctx.Err() == nil {
			streamFrames(vctx, addr, -1)
		}
	}()
	time.Sleep(2 * time.Second)
	fpsIdle := loopFPS(addr, *measure)
	rssIdle, _ := memory(pid)
	fmt.Printf("one viewer:   loop %.1f fps, VmRSS %.1f MB, %d goroutines, %d descriptors\n",
		fpsIdle, rssIdle, goroutines(pprof), descriptors(pid))

	// The attack.
	t0 := time.Now()
	var mu sync.Mutex
	var conns []net.Conn
	sem := make(chan struct{}, 50)
	var wg sync.WaitGroup
	refused := 0
	for range *idle {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				mu.Lock()
				refused++
				mu.Unlock()
				return
			}
			fmt.Fprintf(c, "GET /state.json HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}()
	}
	wg.Wait()
	stall := func(n int) {
		for range n {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				continue
			}
			c.(*net.TCPConn).SetReadBuffer(4 << 10)
			fmt.Fprintf(c, "GET /stream.mjpg HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}
	stall(*stalled)
	fmt.Printf("attack: %d idle connections and %d stalled streams opened in %v (%d dials failed)\n",
		*idle, *stalled, time.Since(t0).Round(time.Millisecond), refused)
	time.Sleep(3 * time.Second)
	fpsLoad := loopFPS(addr, *measure)
	rssLoad, hwm := memory(pid)
	fmt.Printf("under attack: loop %.1f fps (%.1f%% of one viewer's), VmRSS %.1f MB (peak %.1f MB), %d goroutines, %d descriptors\n",
		fpsLoad, 100*fpsLoad/fpsIdle, rssLoad, hwm, goroutines(pprof), descriptors(pid))
	open := openConns(conns)
	fmt.Printf("               %d of the %d attacking connections still open\n", open, len(conns))

	var waits []time.Duration
	failed := 0
	for range *viewers {
		stall(5)
		time.Sleep(1500 * time.Millisecond)
		d, err := streamFrames(ctx, addr, 1)
		if err != nil {
			failed++
			fmt.Printf("  viewer: %v\n", err)
			continue
		}
		waits = append(waits, d)
	}
	slices.Sort(waits)
	if len(waits) > 0 {
		fmt.Printf("new viewers: %d of %d served; first frame after median %v, max %v\n", len(waits), *viewers,
			waits[len(waits)/2].Round(time.Millisecond), waits[len(waits)-1].Round(time.Millisecond))
	} else {
		fmt.Printf("new viewers: none of %d served\n", *viewers)
	}
	vcancel()
	for _, c := range conns {
		c.Close()
	}
}

// streamFrames opens /stream.mjpg and reads n frames (forever if n < 0),
// returning the time to the first.
func streamFrames(ctx context.Context, addr string, n int) (time.Duration, error) {
	t0 := time.Now()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	if n < 0 {
		ctx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/stream.mjpg", nil)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return 0, fmt.Errorf("%s", resp.Status)
	}
	_, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	mr := multipart.NewReader(resp.Body, params["boundary"])
	var first time.Duration
	for i := 0; n < 0 || i < n; i++ {
		p, err := mr.NextPart()
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, p)
		if i == 0 {
			first = time.Since(t0)
		}
	}
	return first, nil
}

// loopFPS is the loop's frame rate over d, from the frames it counts.
func loopFPS(addr string, d time.Duration) float64 {
	f0, t0 := frames(addr), time.Now()
	time.Sleep(d)
	return float64(frames(addr)-f0) / time.Since(t0).Seconds()
}

func frames(addr string) uint64 {
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}).Get("http://" + addr + "/state.json")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct{ Frames uint64 }
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		log.Fatal(err)
	}
	return st.Frames
}

// memory returns VmRSS and VmHWM in MB.
func memory(pid int) (rss, hwm float64) {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) >= 2 {
			kb, _ := strconv.ParseFloat(f[1], 64)
			switch f[0] {
			case "VmRSS:":
				rss = kb / 1024
			case "VmHWM:":
				hwm = kb / 1024
			}
		}
	}
	return rss, hwm
}

func descriptors(pid int) int {
	e, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	return len(e)
}

func goroutines(pprof string) int {
	resp, err := http.Get("http://" + pprof + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "goroutine profile: total ")))
	return n
}

// openConns counts the connections the server has not closed: a closed one
// reads EOF (or a reset) at once, an open one times out.
func openConns(conns []net.Conn) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	open := 0
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(time.Second))
			_, err := c.Read(make([]byte, 1))
			if ne, ok := err.(net.Error); err == nil || ok && ne.Timeout() {
				mu.Lock()
				open++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return open
}
