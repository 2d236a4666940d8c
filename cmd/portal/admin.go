package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"gongkai/models"
)

// createAdmin creates a system administrator for an agency. The password is
// read from stdin with -password-stdin, else generated and printed once;
// either way it must be changed at first login.
func createAdmin(ctx context.Context, cfg *Config, log *slog.Logger, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("create-admin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	username := fs.String("username", "", "login name (3–32 lower-case letters, digits, . - _)")
	name := fs.String("name", "系统管理员", "display name")
	agencyCode := fs.String("agency", cfg.Agency, "agency code (default: the first agency)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *username == "" {
		fmt.Fprintln(stderr, "create-admin: -username is required")
		return 2
	}
	st, err := openPrepared(ctx, cfg, log)
	if err != nil {
		return 1
	}
	defer st.Close()
	agency, err := selectAgency(ctx, st, *agencyCode)
	if err != nil {
		fmt.Fprintf(stderr, "create-admin: %s\n", models.ErrorMessage(err))
		return 1
	}
	password, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			fmt.Fprintf(stderr, "create-admin: read password: %v\n", err)
			return 1
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		password, generated = models.NewPassword(16), true
	}
	u := &models.User{AgencyID: agency.ID, Username: *username, DisplayName: *name,
		Roles: []models.Role{models.RoleAdmin}, MustChangePassword: true}
	if err := st.CreateUser(ctx, u, password); err != nil {
		msg := models.ErrorMessage(err)
		for _, m := range models.FieldErrors(err) {
			msg = m
		}
		fmt.Fprintf(stderr, "create-admin: %s\n", msg)
		return 1
	}
	fmt.Fprintf(stdout, "已创建系统管理员 %s（%s）。\n", u.Username, agency.Name)
	if generated {
		fmt.Fprintf(stdout, "初始密码（只显示这一次，首次登录须修改）：%s\n", password)
	}
	return 0
}
