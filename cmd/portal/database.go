package main

import (
	"context"
	"log/slog"

	"gongkai/models"
	"gongkai/models/store"
)

// openPrepared opens the database and prepares it as serve does, logging
// what went wrong; the command-line tools use it.
func openPrepared(ctx context.Context, cfg *Config, log *slog.Logger) (*store.Store, error) {
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("open database", "err", err)
		return nil, err
	}
	if _, err := prepareDatabase(ctx, st, log); err != nil {
		st.Close()
		log.Error("prepare database", "err", err)
		return nil, err
	}
	return st, nil
}

// selectAgency returns the agency with the code, or the first agency when
// code is empty.
func selectAgency(ctx context.Context, st *store.Store, code string) (*models.Agency, error) {
	if code != "" {
		return st.AgencyByCode(ctx, code)
	}
	all, err := st.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, models.Errorf(models.ENOTFOUND, "尚未建立任何机关。")
	}
	return all[0], nil
}
