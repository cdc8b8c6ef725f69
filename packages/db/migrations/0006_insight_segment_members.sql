CREATE TABLE `insight_segment_members` (
	`run_id` integer NOT NULL,
	`segment_key` text NOT NULL,
	`count` integer NOT NULL,
	`ids` blob NOT NULL,
	PRIMARY KEY(`run_id`, `segment_key`),
	FOREIGN KEY (`run_id`) REFERENCES `insight_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `insight_customers` ADD `segments` text;