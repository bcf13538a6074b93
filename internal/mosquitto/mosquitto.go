// Package mosquitto starts Debian's Mosquitto broker for tests and load
// runs: on a free loopback port, with a configuration written into a
// folder of its own (users and passwords, a TLS listener, persistence), so
// that the MQTT output is tested against a real broker rather than a fake.
// A Broker can be killed with SIGKILL and started again on the same port
// with the same state on disk.
package mosquitto

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Binary is the broker's program.
const Binary = "mosquitto"

// Available reports whether the broker's program is installed (Debian's
// package mosquitto).
func Available() bool {
	_, err := exec.LookPath(Binary)
	return err == nil
}

// Config describes a broker.
type Config struct {
	// Users maps user names to passwords; none allows anonymous clients.
	Users map[string]string
	// CertFile and KeyFile, if set, make the listener TLS (PEM files).
	CertFile, KeyFile string
	// Port is the loopback port to listen on; 0 picks a free one.
	Port int
	// Persist saves the broker's state (sessions, retained and queued
	// messages) every second, so that a broker killed and started again
	// keeps its clients' sessions.
	Persist bool
}

// Broker is a running Mosquitto.
type Broker struct {
	// Port is the loopback port it listens on.
	Port int
	dir  string
	conf string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// Start writes a configuration for c into dir and starts the broker on a
// free port of 127.0.0.1, returning once it accepts connections.
func Start(dir string, c Config) (*Broker, error) {
	if !Available() {
		return nil, errors.New("mosquitto: the broker is not installed (apt-get install mosquitto)")
	}
	port := c.Port
	if port == 0 {
		var err error
		if port, err = FreePort(); err != nil {
			return nil, err
		}
	}
	b := &Broker{Port: port, dir: dir, conf: filepath.Join(dir, "mosquitto.conf")}
	var conf strings.Builder
	fmt.Fprintf(&conf, "listener %d 127.0.0.1\n", port)
	// As root the broker would switch to the user mosquitto, which cannot
	// write into a test's folder.
	if u, err := user.Current(); err == nil {
		fmt.Fprintf(&conf, "user %s\n", u.Username)
	}
	fmt.Fprintf(&conf, "log_dest file %s\nlog_type all\nconnection_messages true\n", b.LogFile())
	fmt.Fprintf(&conf, "max_queued_messages 100000\n")
	if c.CertFile != "" {
		fmt.Fprintf(&conf, "certfile %s\nkeyfile %s\n", c.CertFile, c.KeyFile)
	}
	if len(c.Users) > 0 {
		pw := filepath.Join(dir, "passwd")
		if err := os.WriteFile(pw, nil, 0o600); err != nil {
			return nil, err
		}
		for u, p := range c.Users {
			if out, err := exec.Command("mosquitto_passwd", "-b", pw, u, p).CombinedOutput(); err != nil {
				return nil, fmt.Errorf("mosquitto_passwd: %v: %s", err, out)
			}
		}
		fmt.Fprintf(&conf, "allow_anonymous false\npassword_file %s\n", pw)
	} else {
		conf.WriteString("allow_anonymous true\n")
	}
	if c.Persist {
		fmt.Fprintf(&conf, "persistence true\npersistence_location %s/\nautosave_interval 1\n", dir)
	}
	if err := os.WriteFile(b.conf, []byte(conf.String()), 0o644); err != nil {
		return nil, err
	}
	if err := b.Restart(); err != nil {
		return nil, err
	}
	return b, nil
}

// FreePort returns a loopback port that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Addr returns the broker's address, 127.0.0.1:port.
func (b *Broker) Addr() string { return "127.0.0.1:" + strconv.Itoa(b.Port) }

// LogFile returns the path of the broker's log.
func (b *Broker) LogFile() string { return filepath.Join(b.dir, "mosquitto.log") }

// Log returns the broker's log so far.
func (b *Broker) Log() string {
	data, _ := os.ReadFile(b.LogFile())
	return string(data)
}

// Pid returns the process id of the running broker, 0 if none.
func (b *Broker) Pid() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd == nil {
		return 0
	}
	return b.cmd.Process.Pid
}

// Restart starts the broker if it is not running (after Kill) and waits
// until it accepts connections.
func (b *Broker) Restart() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd != nil {
		return nil
	}
	cmd := exec.Command(Binary, "-c", b.conf)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := os.Create(filepath.Join(b.dir, "mosquitto.out"))
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		return err
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		out.Close()
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", b.Addr(), time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			msg, _ := os.ReadFile(filepath.Join(b.dir, "mosquitto.out"))
			return fmt.Errorf("mosquitto exited at start: %s%s", msg, b.Log())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-done
			return fmt.Errorf("mosquitto: no listener on %s after 10 s", b.Addr())
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.cmd, b.done = cmd, done
	return nil
}

// Kill kills the broker with SIGKILL, as a crash or a power cut would,
// and waits for it to be gone.
func (b *Broker) Kill() { b.signal(syscall.SIGKILL) }

// Stop stops the broker (SIGTERM, then SIGKILL after 5 s).
func (b *Broker) Stop() { b.signal(syscall.SIGTERM) }

// signal sends sig to the broker, if it runs, and waits for it to be
// gone, killing it if it is still there 5 s later.
func (b *Broker) signal(sig syscall.Signal) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd == nil {
		return
	}
	b.cmd.Process.Signal(sig)
	select {
	case <-b.done:
	case <-time.After(5 * time.Second):
		b.cmd.Process.Kill()
		<-b.done
	}
	b.cmd = nil
}
