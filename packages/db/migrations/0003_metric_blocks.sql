CREATE TABLE `metric_blocks` (
	`data_version` integer NOT NULL,
	`first_id` integer NOT NULL,
	`last_id` integer NOT NULL,
	`count` integer NOT NULL,
	`periods` text NOT NULL,
	`ids` blob NOT NULL,
	`payload` blob NOT NULL,
	PRIMARY KEY(`data_version`, `first_id`)
);
