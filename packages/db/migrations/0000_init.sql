CREATE TABLE `customers` (
	`id` integer PRIMARY KEY NOT NULL,
	`external_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`id_number` text NOT NULL,
	`phone` text,
	`org_unit_id` integer NOT NULL,
	`rm_id` integer,
	`linked_on` text NOT NULL,
	`opened_on` text,
	`closed_on` text,
	`funded_on` text,
	`gender` text,
	`birth_date` text,
	`life_stage` text,
	`occupation` text,
	`payroll_employer_id` integer,
	`has_mortgage` integer DEFAULT false NOT NULL,
	`has_credit_card` integer DEFAULT false NOT NULL,
	`industry_code` text,
	`employees` integer,
	`revenue` real,
	`total_assets` real,
	`enterprise_size` text,
	`listed` integer DEFAULT false NOT NULL,
	`institution_type` text,
	`basic_account` integer DEFAULT false NOT NULL,
	`payroll_employer` integer DEFAULT false NOT NULL,
	`chain_role` text,
	`chain_anchor_id` integer,
	FOREIGN KEY (`org_unit_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rm_id`) REFERENCES `relationship_managers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_external_id_unique` ON `customers` (`external_id`);--> statement-breakpoint
CREATE INDEX `customers_org_unit` ON `customers` (`org_unit_id`);--> statement-breakpoint
CREATE INDEX `customers_rm` ON `customers` (`rm_id`);--> statement-breakpoint
CREATE INDEX `customers_kind` ON `customers` (`kind`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY NOT NULL,
	`external_id` text NOT NULL,
	`customer_id` integer NOT NULL,
	`type` text NOT NULL,
	`occurred_on` text NOT NULL,
	`amount` real,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_external_id_unique` ON `events` (`external_id`);--> statement-breakpoint
CREATE INDEX `events_customer` ON `events` (`customer_id`,`occurred_on`);--> statement-breakpoint
CREATE INDEX `events_type` ON `events` (`type`,`occurred_on`);--> statement-breakpoint
CREATE TABLE `lifecycle_funnel_agg` (
	`run_id` integer NOT NULL,
	`period` text NOT NULL,
	`org_unit_id` integer NOT NULL,
	`stage` text NOT NULL,
	`customers` integer NOT NULL,
	`aum` real NOT NULL,
	PRIMARY KEY(`run_id`, `period`, `org_unit_id`, `stage`),
	FOREIGN KEY (`run_id`) REFERENCES `lifecycle_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `lifecycle_migration_agg` (
	`run_id` integer NOT NULL,
	`from_period` text NOT NULL,
	`to_period` text NOT NULL,
	`org_unit_id` integer NOT NULL,
	`from_stage` text,
	`to_stage` text NOT NULL,
	`customers` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `lifecycle_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lifecycle_migration_agg_key` ON `lifecycle_migration_agg` (`run_id`,`from_period`,`to_period`);--> statement-breakpoint
CREATE TABLE `lifecycle_runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`status` text NOT NULL,
	`config` text NOT NULL,
	`periods` text NOT NULL,
	`customers` integer DEFAULT 0 NOT NULL,
	`timings` text,
	`error` text
);
--> statement-breakpoint
CREATE TABLE `lifecycle_stages` (
	`run_id` integer NOT NULL,
	`period` text NOT NULL,
	`customer_id` integer NOT NULL,
	`stage` text NOT NULL,
	`reason` text NOT NULL,
	PRIMARY KEY(`run_id`, `period`, `customer_id`),
	FOREIGN KEY (`run_id`) REFERENCES `lifecycle_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lifecycle_stages_stage` ON `lifecycle_stages` (`run_id`,`period`,`stage`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `monthly_metrics` (
	`customer_id` integer NOT NULL,
	`period` text NOT NULL,
	`aum_avg` real NOT NULL,
	`aum_end` real NOT NULL,
	`deposits_avg` real NOT NULL,
	`demand_deposits` real NOT NULL,
	`time_deposits` real NOT NULL,
	`wealth` real NOT NULL,
	`funds` real NOT NULL,
	`insurance` real NOT NULL,
	`bonds` real NOT NULL,
	`other_assets` real NOT NULL,
	`loans` real NOT NULL,
	`card_spend` real NOT NULL,
	`txn_in_count` integer NOT NULL,
	`txn_in_amount` real NOT NULL,
	`txn_out_count` integer NOT NULL,
	`txn_out_amount` real NOT NULL,
	`active_txn_count` integer NOT NULL,
	`digital_logins` integer NOT NULL,
	`product_types` integer NOT NULL,
	`fee_income` real NOT NULL,
	`last_txn_on` text,
	`settlement_deposits` real NOT NULL,
	`high_cost_deposits` real NOT NULL,
	`settlement_flow` real NOT NULL,
	`credit_line` real NOT NULL,
	`payroll_headcount` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `period`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `monthly_metrics_period` ON `monthly_metrics` (`period`);--> statement-breakpoint
CREATE TABLE `org_units` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`name_en` text NOT NULL,
	`kind` text NOT NULL,
	`parent_id` integer,
	`path` text NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `org_units_code_unique` ON `org_units` (`code`);--> statement-breakpoint
CREATE INDEX `org_units_path` ON `org_units` (`path`);--> statement-breakpoint
CREATE INDEX `org_units_parent` ON `org_units` (`parent_id`);--> statement-breakpoint
CREATE TABLE `relationship_managers` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`org_unit_id` integer NOT NULL,
	`line` text NOT NULL,
	FOREIGN KEY (`org_unit_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `relationship_managers_code_unique` ON `relationship_managers` (`code`);