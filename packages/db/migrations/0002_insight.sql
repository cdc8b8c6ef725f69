CREATE TABLE `insight_agg` (
	`run_id` integer NOT NULL,
	`dimension` text NOT NULL,
	`value` text NOT NULL,
	`org_unit_id` integer NOT NULL,
	`stage` text NOT NULL,
	`customers` integer NOT NULL,
	`aum` real NOT NULL,
	PRIMARY KEY(`run_id`, `dimension`, `value`, `org_unit_id`, `stage`),
	FOREIGN KEY (`run_id`) REFERENCES `insight_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `insight_customers` (
	`run_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`stage` text NOT NULL,
	`stage_reason` text NOT NULL,
	`previous_stage` text,
	`value_tier` text,
	`contribution_tier` text,
	`risk_tier` text,
	`enterprise_size` text,
	`rfm_r` integer NOT NULL,
	`rfm_f` integer NOT NULL,
	`rfm_m` integer NOT NULL,
	`pareto` text,
	`cluster` integer,
	`primary_segment` text,
	PRIMARY KEY(`run_id`, `customer_id`),
	FOREIGN KEY (`run_id`) REFERENCES `insight_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `insight_customers_primary` ON `insight_customers` (`run_id`,`primary_segment`);--> statement-breakpoint
CREATE TABLE `insight_members` (
	`run_id` integer NOT NULL,
	`segment_key` text NOT NULL,
	`customer_id` integer NOT NULL,
	PRIMARY KEY(`run_id`, `segment_key`, `customer_id`),
	FOREIGN KEY (`run_id`) REFERENCES `insight_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `insight_members_customer` ON `insight_members` (`run_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `insight_runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`period` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`status` text NOT NULL,
	`config` text NOT NULL,
	`model` text,
	`summary` text,
	`customers` integer DEFAULT 0 NOT NULL,
	`timings` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `insight_runs_period` ON `insight_runs` (`period`,`status`);