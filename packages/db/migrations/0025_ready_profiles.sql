CREATE TABLE `insight_profile_sets` (
	`run_id` integer PRIMARY KEY NOT NULL,
	`data_version` integer NOT NULL,
	`dictionary` blob NOT NULL,
	`customers` integer NOT NULL,
	`bytes` integer NOT NULL,
	`ms` integer NOT NULL,
	`made_at` text NOT NULL,
	`token` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `insight_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `insight_profiles` (
	`customer_id` integer PRIMARY KEY NOT NULL,
	`body` blob NOT NULL
);
