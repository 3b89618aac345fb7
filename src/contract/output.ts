import { z } from "zod";

/** fal's File, with the VideoFile fields that describe the picture. */
export const VideoFileSchema = z
  .object({
    url: z.string().meta({ description: "The URL where the file can be downloaded from." }),
    content_type: z.string().meta({ description: "The mime type of the file.", examples: ["video/mp4"] }),
    file_name: z.string().meta({ description: "The name of the file.", examples: ["output.mp4"] }),
    file_size: z.int().meta({ description: "The size of the file in bytes." }),
    width: z.int().meta({ description: "The width of the video in pixels." }),
    height: z.int().meta({ description: "The height of the video in pixels." }),
    fps: z.number().meta({ description: "The frame rate of the video." }),
    duration: z.number().meta({ description: "The duration of the video in seconds." }),
    num_frames: z.int().meta({ description: "The number of frames in the video." }),
  })
  .meta({ id: "File", title: "File" });

export const VideoOutputSchema = z
  .object({ video: VideoFileSchema.meta({ description: "The generated video" }) })
  .meta({ id: "KlingVideoV3TurboProTextToVideoOutput", title: "TextToVideoV3Output" });

export type VideoFile = z.output<typeof VideoFileSchema>;
export type VideoOutput = z.output<typeof VideoOutputSchema>;
