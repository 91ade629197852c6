package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// moneyIsValid is the Go symbol of the function the script traces.
const moneyIsValid = "github.com/gobpftrace/gobpftrace/examples/incident/shop/money.IsValid"

// buildShop compiles the shop into dir and returns the binary's path.
func buildShop(ctx context.Context, dir string) (string, error) {
	_, self, _, _ := runtime.Caller(0)
	bin := filepath.Join(dir, "shop")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./shop")
	cmd.Dir = filepath.Dir(self)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the shop: %v\n%s", err, out)
	}
	return bin, nil
}

// shopProcess is the running shop.
type shopProcess struct {
	cmd  *exec.Cmd
	addr string
}

// startShop starts the shop and waits until it says where it listens.
func startShop(bin string) (*shopProcess, error) {
	cmd := exec.Command(bin)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening on ") {
		cmd.Process.Kill()
		return nil, fmt.Errorf("shop did not start: %q %v", line, err)
	}
	return &shopProcess{cmd: cmd, addr: strings.TrimSpace(strings.TrimPrefix(line, "listening on "))}, nil
}

func (s *shopProcess) pid() int { return s.cmd.Process.Pid }

func (s *shopProcess) stop() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// carts is the traffic the demo sends: most carts are fine, the ones with
// the new sticker make the handler panic.
var carts = []string{"mug,socks", "tshirt", "mug,sticker", "sunglas,socks", "sticker"}

// drive sends the carts a few times, as customers would.
func (s *shopProcess) drive(ctx context.Context) {
	client := &http.Client{Timeout: time.Second}
	for round := 0; round < 2; round++ {
		for _, c := range carts {
			if ctx.Err() != nil {
				return
			}
			resp, err := client.Get("http://" + s.addr + "/cart?items=" + c)
			if err == nil {
				resp.Body.Close()
			}
		}
	}
}
