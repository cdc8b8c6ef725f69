ALTER TABLE `list_entries` ADD `selection` text;--> statement-breakpoint
ALTER TABLE `list_entries` ADD `score` real;--> statement-breakpoint
ALTER TABLE `strategy_lists` ADD `model` text;