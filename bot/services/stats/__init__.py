"""/stats: the network's and the bot's figures for organisers (service, report, chart)."""
