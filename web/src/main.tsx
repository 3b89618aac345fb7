import { render } from "preact";
import { createShotlineClient } from "./api/shotline-client.ts";
import { App } from "./app.tsx";
import { loadKey } from "./key/key-store.ts";
import "./styles.css";

render(<App client={createShotlineClient(loadKey)} />, document.getElementById("app") as HTMLElement);
