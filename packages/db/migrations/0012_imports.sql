CREATE TABLE `campaign_outcomes` (
	`id` integer PRIMARY KEY NOT NULL,
	`external_id` text NOT NULL,
	`customer_id` integer NOT NULL,
	`campaign_code` text NOT NULL,
	`channel` text NOT NULL,
	`contacted_on` text NOT NULL,
	`responded` integer DEFAULT false NOT NULL,
	`converted` integer DEFAULT false NOT NULL,
	`amount` real,
	`feedback` text,
	`import_batch` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_outcomes_external_id_unique` ON `campaign_outcomes` (`external_id`);--> statement-breakpoint
CREATE INDEX `campaign_outcomes_customer` ON `campaign_outcomes` (`customer_id`);--> statement-breakpoint
CREATE INDEX `campaign_outcomes_campaign` ON `campaign_outcomes` (`campaign_code`,`contacted_on`);--> statement-breakpoint
CREATE TABLE `import_mappings` (
	`source` text NOT NULL,
	`kind` text NOT NULL,
	`mapping` text NOT NULL,
	`options` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`source`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `import_runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`source` text,
	`file_name` text NOT NULL,
	`actor` text NOT NULL,
	`status` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`options` text,
	`report` text,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`rows_written` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`error_file` text,
	`error` text
);
--> statement-breakpoint
ALTER TABLE `customers` ADD `import_batch` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `import_batch` integer;--> statement-breakpoint
ALTER TABLE `monthly_metrics` ADD `import_batch` integer;--> statement-breakpoint
ALTER TABLE `relationship_managers` ADD `import_batch` integer;