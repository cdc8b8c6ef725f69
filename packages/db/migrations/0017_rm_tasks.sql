CREATE TABLE `rm_tasks` (
	`id` integer PRIMARY KEY NOT NULL,
	`strategy_id` integer NOT NULL,
	`version` integer NOT NULL,
	`list_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`rm_id` integer,
	`channel` text NOT NULL,
	`event_id` text NOT NULL,
	`due_at` text NOT NULL,
	`created_at` text NOT NULL,
	`status` text NOT NULL,
	FOREIGN KEY (`strategy_id`) REFERENCES `strategies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`list_id`) REFERENCES `strategy_lists`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rm_tasks_rm` ON `rm_tasks` (`rm_id`,`status`);--> statement-breakpoint
CREATE INDEX `rm_tasks_customer` ON `rm_tasks` (`customer_id`);