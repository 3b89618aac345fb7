import type {
  Atmosphere,
  CameraMove,
  LightColor,
  MusicGenre,
  Pace,
  Setting,
  Style,
  TimeOfDay,
} from "../scene-plan.ts";
import type { Cues } from "./text.ts";

/**
 * The interpreter's vocabulary: for each plan field, the words (regex fragments, lower case,
 * hyphens already turned into spaces) that select each value. Synonyms live here and only here.
 */

/** Places named outright. Neon city is found as a city plus neon or cyberpunk words. */
export const SETTING_CUES: Cues<Setting> = [
  [
    "city street",
    "city|cities|streets?|downtown|urban|skyline|skyscrapers?|alley(?:way)?s?|rooftops?|metropolis|avenue|" +
      "boulevard|towns?|traffic|sidewalks?|pavements?|crosswalk|intersection|buildings?|manhattan|new york|tokyo|paris",
  ],
  [
    "forest",
    "forests?|woods|woodlands?|jungle|rainforest|trees|pines?|grove|redwoods?|birch(?:es)?|timberland",
  ],
  [
    "ocean",
    "beach(?:es)?|oceans?|seas?|seaside|shore(?:line)?|coast(?:al|line)?|waves|surf|surfing|harbou?r|pier|" +
      "islands?|bay|tide|seashore|cliffs by the sea",
  ],
  ["desert", "deserts?|dunes?|canyons?|mesas?|sahara|arid|wasteland|badlands|sand dunes"],
  [
    "mountains",
    "mountains?|peaks?|summit|alps|alpine|cliffs?|ridges?|valley|himalayas?|volcano(?:es)?|highlands|mountainside",
  ],
  [
    "snowfield",
    "snowfields?|snow fields?|tundra|arctic|antarctic(?:a)?|glaciers?|ice fields?|ice sheet|polar|snow covered|" +
      "snowy (?:field|plain|landscape|meadow|hills?|valley)s?|frozen (?:plain|landscape|wasteland|lake)|winter landscape",
  ],
  [
    "space",
    "outer space|in space|space(?:ship|craft| station)s?|galax(?:y|ies)|nebulae?|cosmos|cosmic|planets?|asteroids?|" +
      "zero gravity|starfield|the moon's surface|lunar|mars",
  ],
  [
    "underwater",
    "underwater|under the (?:sea|ocean|water|waves)|undersea|beneath the (?:waves|surface|sea)|ocean floor|seabed|" +
      "sea floor|coral(?: reefs?)?|reefs?|scuba|deep sea|aquarium|submerged",
  ],
  [
    "stage",
    "stage|(?:night)?clubs?|jazz|concert|bar|lounge|theat(?:er|re)|dance floor|band|cabaret|gig|disco|rave|" +
      "karaoke|opera|ballroom|speakeasy|music hall",
  ],
  [
    "interior",
    "room|bedroom|living room|kitchen|office|apartment|flat|interior|indoors?|inside|hallway|corridor|library|" +
      "caf[eé]|coffee shop|restaurant|diner|studio|classroom|hotel room|attic|cabin interior",
  ],
  [
    "countryside",
    "countryside|farm(?:land)?s?|fields?|meadows?|pastures?|rolling hills|hills|village|vineyards?|prairie|" +
      "grassland|barn|orchard|wheat|countryside road|country road|savanna",
  ],
  ["lake", "lakes?|lakeside|rivers?|riverbank|ponds?|streams?|creek|canal|lagoon|waterfall|fjord"],
  // "sky" is weak: named only when no other place is (see WEAK_SETTINGS).
  ["sky", "sky|skies|clouds?|cloudscape|above the clouds|in the air|mid ?air|airborne|heavens|stratosphere"],
];

/** Places that only count when nothing stronger is named: "a city under a stormy sky" is a city. */
export const WEAK_SETTINGS: ReadonlySet<Setting> = new Set(["sky", "countryside"]);

export const NEON_CUE =
  "neon|cyberpunk|blade runner|synthwave|vaporwave|neon lit|neon signs?|holograms?|holographic";

export const TIME_CUES: Cues<TimeOfDay> = [
  ["dawn", "dawn|sunrise|daybreak|first light|break of day|crack of dawn"],
  ["morning", "morning|mornings|breakfast|early day"],
  [
    "noon",
    "noon|midday|high noon|daytime|daylight|broad daylight|sunny|blue sky|bright (?:sun(?:light|shine)?|day)|day|" +
      "harsh sun|sun drenched|sunlit",
  ],
  ["afternoon", "afternoon|afternoons"],
  ["sunset", "sunset|sundown|golden hour|setting sun|magic hour|sun sets|sun setting"],
  ["dusk", "dusk|twilight|evening|blue hour|nightfall|gloaming"],
  ["night", "night(?:s|time)?|midnight|moonlit|moonlight|moon|nocturnal|after dark|late at night|night sky"],
];

export const ATMOSPHERE_CUES: Cues<Atmosphere> = [
  ["rain", "rain(?:s|y|ing|fall|drops?|storm)?|drizzl(?:e|ing)|downpour|showers|monsoon|rain soaked"],
  ["snow", "snow(?:s|y|ing|fall|flakes?|storm)?|blizzard|flurr(?:y|ies)|sleet"],
  ["fog", "fog(?:gy)?|mist(?:y)?|haze|hazy|smog|murky|overcast"],
  ["smoke", "smok(?:e|y|ing)|incense|steam(?:ing|y)?|vapou?r|dry ice|cigarette"],
  ["dust", "dust(?:y)?|dust motes|motes|sand ?storm|dust ?storm|pollen|ash(?:es)?|particles"],
  ["fireflies", "firefl(?:y|ies)|glow ?worms?|sparkl(?:e|es|ing)|sparks|embers|floating lanterns"],
  ["stars", "stars|starry|starlit|starlight|milky way|constellations?|shooting stars?|meteors?"],
  [
    "storm",
    "(?<!(?:dust|sand|snow) )storm(?:s|y)?|thunder(?:storm)?s?|lightning|tempest|hurricane|typhoon|cyclone",
  ],
];

export const LIGHT_COLOR_CUES: Cues<Exclude<LightColor, "natural">> = [
  [
    "neon",
    "neon|cyberpunk|synthwave|vaporwave|fluorescent|led lights?|rgb lights?|disco lights?|holographic",
  ],
  [
    "candle",
    "candle(?:s|lit|light)?|lanterns?|torch(?:es|lit|light)?|firelight|fireplace|campfire|bonfire|oil lamps?",
  ],
  ["warm", "warm(?:th|ly|er)?|golden|amber|tungsten|cos[yi]|orange (?:glow|light)|honey(?:ed)?|sun ?kissed"],
  [
    "cold",
    "cold|cool|icy|ice|frozen|freezing|wintry|chilly|steely|clinical|blue (?:light|tones?|tint)|bluish",
  ],
];

export const SPOTLIGHT_CUE =
  "spot ?lights?|spotlit|stage lights?|footlights|pool of light|lit from above|single (?:light|lamp)|follow spots?|light beams?";
export const BACKLIT_CUE =
  "backlit|back lit|backlight(?:ing|s)?|silhouett(?:e|ed|es)|rim light(?:ing)?|against the (?:sun|light|sunset|window)|contre jour|sun behind";
export const MOODY_CUE =
  "moody|gloomy|somb(?:er|re)|brooding|melanchol(?:y|ic)|dramatic|ominous|mysterious|dark|darkness|low key|" +
  "shadowy|shadows|sinister|eerie|haunting|bleak|tense";

/** Photorealistic is the default, so it is not a cue: any other named look wins over it. */
export const STYLE_CUES: Cues<Exclude<Style, "photorealistic">> = [
  ["noir", "black and white|b&w|b/w|monochrom(?:e|atic)|noir|gr[ae]yscale|film noir|desaturated"],
  [
    "vintage",
    "vintage|retro|old film|super ?8|8 ?mm|16 ?mm|sepia|faded|grainy|film grain|19[2-8]0s|[2-8]0s|archival|" +
      "old footage|home movie|kodachrome|technicolor|analog(?:ue)? film|old fashioned",
  ],
  [
    "anime",
    "anime|cel shad(?:ed|ing)|cel|cartoon(?:ish|y)?|manga|ghibli|animated|2d animation|toon|comic book",
  ],
  [
    "watercolor",
    "watercolou?rs?|painted|painterly|gouache|ink wash|storybook|illustrat(?:ed|ion)|oil painting|impressionis(?:t|m)|pastel drawing|sketch",
  ],
  ["cyberpunk", "cyberpunk|blade runner|synthwave|vaporwave|dystopian|sci fi city|futuristic city"],
  [
    "pastel",
    "pastel|soft colou?rs|pale colou?rs|candy colou?red|cotton candy|wes anderson|dreamy pastel|muted pastel",
  ],
];

export const CAMERA_CUES: Cues<Exclude<CameraMove, "static">> = [
  [
    "push-in",
    "push(?:es|ing|ed)? (?:in|forward|toward|towards|closer)|push in|eas(?:e|es|ing|ed) (?:in|forward|closer)|" +
      "dolly(?:ing)? (?:in|forward)|dollies (?:in|forward)|mov(?:e|es|ing) (?:closer|in|forward|toward|towards)|" +
      "clos(?:e|es|ing) in|creep(?:s|ing)? (?:in|forward|closer)|track(?:s|ing)? (?:in|forward)|slow push",
  ],
  [
    "pull-back",
    "pull(?:s|ing|ed)? (?:back|out|away)|dolly(?:ing)? (?:out|back)|dollies (?:out|back)|mov(?:e|es|ing) (?:back|away)|" +
      "widen(?:s|ing)?|reveal(?:s|ing)?|retreat(?:s|ing)?|backs? away|draws? back|track(?:s|ing)? (?:out|back)",
  ],
  [
    "zoom-in",
    "zoom(?:s|ing|ed)? (?:in|closer|toward|towards)|crash zoom|punch(?:es|ing)? in|slow zoom|zoom in",
  ],
  ["zoom-out", "zoom(?:s|ing|ed)? (?:out|back|away)|zoom out"],
  [
    "pan-left",
    "pan(?:s|ning|ned)? (?:to the |towards the |slowly )?left|swing(?:s|ing)? left|whip pans? left",
  ],
  [
    "pan-right",
    "pan(?:s|ning|ned)? (?:to the |towards the |slowly )?right|swing(?:s|ing)? right|whip pan|pan(?:s|ning)? across|panning|pans",
  ],
  ["tilt-up", "tilt(?:s|ing|ed)? (?:up|upward|upwards|to the sky)|crane(?:s|ing)? up|pedestal up|boom up"],
  ["tilt-down", "tilt(?:s|ing|ed)? (?:down|downward|downwards)|crane(?:s|ing)? down|pedestal down|boom down"],
  [
    "orbit",
    "orbit(?:s|ing)? (?:around|the subject|him|her|them)|orbital shot|orbiting camera|camera orbits|" +
      "circl(?:e|es|ing) (?:around|the subject)|arc(?:s|ing)? around|360|revolv(?:e|es|ing) around|rotat(?:e|es|ing) around",
  ],
  [
    "tracking",
    "tracking(?: shot)?|track(?:s|ing)? (?:alongside|beside|with|sideways)|follow(?:s|ing|ed)?|truck(?:s|ing)? (?:left|right)|" +
      "dolly (?:left|right|alongside)|side scrolling|steadicam|alongside",
  ],
  [
    "aerial",
    "aerial|drone|birds? eye|bird's eye|overhead shot|top down|from above|flyover|fly(?:ing)? over|high angle|" +
      "helicopter shot|soar(?:s|ing)? over|sweeping",
  ],
];

export const STATIC_CUE = "static|locked off|still camera|stationary|tripod|fixed camera|fixed shot";
export const HANDHELD_CUE =
  "handheld|hand held|shaky|shaking camera|camera shake|found footage|run and gun|jittery|v[eé]rit[eé]|documentary style";

export const PACE_CUES: Cues<Exclude<Pace, "normal">> = [
  [
    "slow",
    "slow(?:ly|er|est)?|gentl[ey]|gradual(?:ly)?|subtle|subtly|languid(?:ly)?|calm(?:ly)?|lazy|lazily|leisurely|" +
      "serene|peaceful|meditative|unhurried|tranquil|quiet|still",
  ],
  [
    "energetic",
    "energetic|fast|faster|quick(?:ly)?|rapid(?:ly)?|swift(?:ly)?|frantic(?:ally)?|frenetic|dynamic|intense|whip|" +
      "sudden(?:ly)?|explosive|hectic|racing|high energy|action packed|chaotic|wild(?:ly)?|furious(?:ly)?|urgent",
  ],
];

/**
 * Music a prompt asks for, by kind; instruments count ("a saxophonist" plays jazz). A bare
 * "music" or "soundtrack" gives the ambient bed, and only when no kind is named.
 */
export const MUSIC_CUES: Cues<Exclude<MusicGenre, "ambient">> = [
  [
    "jazz",
    "jazz(?:y)?|swing|bebop|blues|saxophon(?:e|es|ist|ists)|sax|trumpet(?:s|er|ers)?|double bass|big band|scat",
  ],
  [
    "orchestral",
    "orchestra(?:l)?|symphon(?:y|ies|ic)|strings|string quartet|violin(?:s|ist|ists)?|cell(?:o|os|ist|ists)|" +
      "choir|classical music|epic (?:music|score)|cinematic (?:music|score)|opera",
  ],
  [
    "electronic",
    "electronic(?: music)?|techno|edm|house music|trance|dubstep|synth(?:s|esizers?)?|synthwave|rave|dj|" +
      "club music|dance music|beats",
  ],
  ["piano", "piano(?:s)?|pianist(?:s)?|lullaby"],
];
export const ANY_MUSIC_CUE =
  "music(?:al)?|soundtrack|melody|melodies|songs?|tune|concert|guitar(?:s|ist|ists)?|musicians?|ambient music";

/** How a line is said, from the words around its quote. */
export const WHISPER_CUE =
  "whisper(?:s|ed|ing)?|murmur(?:s|ed|ing)?|mutter(?:s|ed|ing)?|softly says|under (?:her|his|their) breath";
export const SHOUT_CUE =
  "shout(?:s|ed|ing)?|yell(?:s|ed|ing)?|scream(?:s|ed|ing)?|cr(?:y|ies|ied) out|exclaim(?:s|ed|ing)?|roar(?:s|ed|ing)?|call(?:s|ed)? out|bellow(?:s|ed|ing)?";
/** A machine speaks: the robot voice. */
export const ROBOT_CUE =
  "robot(?:s|ic)?|android|cyborg|droid|automaton|ai|(?:computer|machine|synthetic|mechanical) voice";
