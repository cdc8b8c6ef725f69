CREATE TABLE `list_outcomes` (
	`list_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`contacted` integer DEFAULT false NOT NULL,
	`responded` integer DEFAULT false NOT NULL,
	`declined` integer DEFAULT false NOT NULL,
	`converted` integer DEFAULT false NOT NULL,
	`amount` real,
	`feedback` text,
	`occurred_on` text NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	PRIMARY KEY(`list_id`, `customer_id`),
	FOREIGN KEY (`list_id`) REFERENCES `strategy_lists`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
