package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"gongkai/models"
)

// apiClientCommand manages the integrating platforms of the JSON API:
//
//	portal api-client create -name 辽宁政务服务网 [-rate 60] [-agency CODE]
//	portal api-client list [-agency CODE]
//	portal api-client revoke [-agency CODE] ID
//
// A new key is printed once; only its SHA-256 is stored.
func apiClientCommand(ctx context.Context, cfg *Config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: portal api-client create -name NAME [-rate N] | list | revoke ID")
		return 2
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("api-client "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "the platform's name, e.g. 辽宁政务服务网")
	rate := fs.Int("rate", 60, "requests per minute the platform may make")
	agencyCode := fs.String("agency", cfg.Agency, "agency code (default: the first agency)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	st, err := openPrepared(ctx, cfg, log)
	if err != nil {
		return 1
	}
	defer st.Close()
	agency, err := selectAgency(ctx, st, *agencyCode)
	if err != nil {
		fmt.Fprintln(stderr, models.ErrorMessage(err))
		return 1
	}
	switch sub {
	case "create":
		c := &models.APIClient{AgencyID: agency.ID, Name: *name, RatePerMinute: *rate}
		key, err := st.CreateAPIClient(ctx, c, 0)
		if err != nil {
			fmt.Fprintf(stderr, "api-client create: %s\n", messageOf(err))
			return 1
		}
		fmt.Fprintf(stdout, "已为“%s”创建接入平台 %d（%s，每分钟%d次）。密钥只显示这一次，请安全地交给对方：\n%s\n",
			agency.Name, c.ID, c.Name, c.RatePerMinute, key)
		return 0
	case "list":
		clients, err := st.APIClients(ctx, agency.ID)
		if err != nil {
			fmt.Fprintln(stderr, messageOf(err))
			return 1
		}
		for _, c := range clients {
			state := "有效"
			if !c.Active() {
				state = "已吊销"
			}
			fmt.Fprintf(stdout, "%d\t%s\t%s…\t%d/分钟\t%s\n", c.ID, c.Name, c.KeyPrefix, c.RatePerMinute, state)
		}
		return 0
	case "revoke":
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil || fs.NArg() != 1 {
			fmt.Fprintln(stderr, "usage: portal api-client revoke ID")
			return 2
		}
		if err := st.RevokeAPIClient(ctx, agency.ID, id); err != nil {
			fmt.Fprintln(stderr, messageOf(err))
			return 1
		}
		fmt.Fprintf(stdout, "已吊销接入平台 %d 的密钥。\n", id)
		return 0
	}
	fmt.Fprintf(stderr, "api-client: unknown subcommand %q\n", sub)
	return 2
}
