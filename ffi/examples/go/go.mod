module example.invalid/vouch-pull-check

go 1.19
