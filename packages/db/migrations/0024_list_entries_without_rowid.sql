-- A list's entries clustered by their key (list, customer): one b-tree instead of a rowid table
-- and its key's index. Writing a bank-sized list appends to it; reading a list is a range scan.
CREATE TABLE `list_entries_clustered` (
	`list_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`arm` text NOT NULL,
	`channel` text NOT NULL,
	`rm_id` integer,
	`selection` text,
	`score` real,
	PRIMARY KEY(`list_id`, `customer_id`),
	FOREIGN KEY (`list_id`) REFERENCES `strategy_lists`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `list_entries_clustered` (`list_id`, `customer_id`, `arm`, `channel`, `rm_id`, `selection`, `score`)
SELECT `list_id`, `customer_id`, `arm`, `channel`, `rm_id`, `selection`, `score` FROM `list_entries` ORDER BY `list_id`, `customer_id`;
--> statement-breakpoint
DROP TABLE `list_entries`;
--> statement-breakpoint
ALTER TABLE `list_entries_clustered` RENAME TO `list_entries`;
--> statement-breakpoint
CREATE INDEX `list_entries_customer` ON `list_entries` (`customer_id`);
