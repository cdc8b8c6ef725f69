ALTER TABLE `metric_blocks` ADD `attributes` blob;--> statement-breakpoint
ALTER TABLE `metric_blocks` ADD `dictionary` text;--> statement-breakpoint
ALTER TABLE `metric_blocks` ADD `events` blob;