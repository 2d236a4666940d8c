// Command portal runs gongkai, the online portal through which a government
// agency receives and answers government information disclosure
// applications (政府信息公开申请).
//
//	portal [serve]        run the web portal (the default)
//	portal migrate        apply pending database migrations and exit
//	portal create-admin   create a system administrator
//	portal healthcheck    exit 0 if the running portal is ready
//
// All configuration comes from environment variables (see config.go and the
// README); `go run ./cmd/portal` with none set runs on an embedded SQLite
// file under ./data.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Asia/Shanghai even in a scratch container
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}
