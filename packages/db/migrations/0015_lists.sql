CREATE TABLE `list_entries` (
	`list_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`arm` text NOT NULL,
	`channel` text NOT NULL,
	`rm_id` integer,
	PRIMARY KEY(`list_id`, `customer_id`),
	FOREIGN KEY (`list_id`) REFERENCES `strategy_lists`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `list_entries_customer` ON `list_entries` (`customer_id`);--> statement-breakpoint
CREATE TABLE `strategy_lists` (
	`id` integer PRIMARY KEY NOT NULL,
	`strategy_id` integer NOT NULL,
	`version` integer NOT NULL,
	`period` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`summary` text NOT NULL,
	FOREIGN KEY (`strategy_id`) REFERENCES `strategies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `strategy_lists_strategy` ON `strategy_lists` (`strategy_id`,`period`);